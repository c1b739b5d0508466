// SECURITY.md item 44: mails an admin can trigger — the starting guide (S1) and the password reset
// (an admin knows every identity answer of their users, so the public form is theirs too) — have a
// cooldown and a daily cap per user. Kysely only; the check and the count are one guarded write.
import type { Db } from '../db/index.ts';

export interface MailQuotaPolicy { cooldownMs: number; cap: number; windowMs: number }
/** Starting guide: registration's mail counts; then at most once a minute and 5 times in 24 h. */
export const GUIDE_QUOTA: MailQuotaPolicy = { cooldownMs: 60_000, cap: 5, windowMs: 24 * 3_600_000 };
/** Reset mails to one user: the same rule (under the per-login-ID request throttle of S4). */
export const RESET_MAIL_QUOTA: MailQuotaPolicy = { cooldownMs: 60_000, cap: 5, windowMs: 24 * 3_600_000 };

export type QuotaVerdict = { ok: true; count: number } | { ok: false };
export type QuotaRefusal = { reason: 'cooldown' | 'daily_cap'; retryAt: number };
export interface QuotaState { count: number; cap: number; cooldownMs: number; nextAt: number; /** nextAt is later than now */ waiting: boolean }

/**
 * Takes one mail from the quota of `key`, or refuses. One INSERT … ON CONFLICT DO UPDATE … WHERE:
 * the row is created, or updated only if the cooldown has passed and the window has room (a window
 * older than 24 h starts again at 1). PostgreSQL re-checks the WHERE on the locked, latest row, so
 * 20 parallel re-sends take one mail, never 20; SQLite serialises writers. No row back = refused.
 */
export async function takeMailQuota(db: Db, key: string, p: MailQuotaPolicy, now: number): Promise<QuotaVerdict> {
  const expired = now - p.windowMs;
  const row = await db.insertInto('mail_quota')
    .values({ key, window_started_at: now, count: 1, last_sent_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({
      window_started_at: eb.case().when('mail_quota.window_started_at', '<=', expired).then(now).else(eb.ref('mail_quota.window_started_at')).end(),
      count: eb.case().when('mail_quota.window_started_at', '<=', expired).then(1).else(eb('mail_quota.count', '+', 1)).end(),
      last_sent_at: now,
    })).where((eb) => eb.and([
      eb('mail_quota.last_sent_at', '<=', now - p.cooldownMs),
      eb.or([eb('mail_quota.window_started_at', '<=', expired), eb('mail_quota.count', '<', p.cap)]),
    ])))
    .returning('count').executeTakeFirst();
  return row ? { ok: true, count: Number(row.count) } : { ok: false };
}

/** Why takeMailQuota refused, and until when (read afterwards, for the message only). */
export async function quotaRefusal(db: Db, key: string, p: MailQuotaPolicy, now: number): Promise<QuotaRefusal> {
  const s = await quotaState(db, key, p, now);
  return s.count >= p.cap && s.nextAt > now
    ? { reason: 'daily_cap', retryAt: s.nextAt }
    : { reason: 'cooldown', retryAt: Math.max(s.nextAt, now + 1000) };
}

/** What the admin page shows: mails in the current window, and when the next one is allowed. */
export async function quotaState(db: Db, key: string, p: MailQuotaPolicy, now: number): Promise<QuotaState> {
  const r = await db.selectFrom('mail_quota').selectAll().where('key', '=', key).executeTakeFirst();
  const fresh = !r || r.window_started_at <= now - p.windowMs;
  const count = fresh ? 0 : Number(r.count);
  const afterCooldown = r ? Number(r.last_sent_at) + p.cooldownMs : 0;
  const afterWindow = !fresh && count >= p.cap ? Number(r.window_started_at) + p.windowMs : 0;
  const nextAt = Math.max(now, afterCooldown, afterWindow);
  return { count, cap: p.cap, cooldownMs: p.cooldownMs, nextAt, waiting: nextAt > now };
}

export const guideQuotaKey = (userId: string) => `guide:${userId}`;
export const resetQuotaKey = (userId: string) => `reset:${userId}`;
