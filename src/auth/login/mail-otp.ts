// S3.6 MailOTP: a 6-digit code per login flow, 10 minutes, single use, 5 wrong tries, re-send with a
// 60-second cooldown that kills the previous code but keeps its failure count (SECURITY.md 18–19).
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { newId } from '../crypto/tokens.ts';
import {
  generateMailOtp, hashMailOtp, mailOtpMatches, MAIL_OTP_MAX_FAILURES, MAIL_OTP_RESEND_COOLDOWN_MS, MAIL_OTP_TTL_MS,
} from '../factors/mail-otp.ts';
import type { Flow } from '../flows/flow.ts';
import { profileFor } from '../tenancy/presets.ts';
import type { UserRow } from '../users/store.ts';
import type { Db } from '../../db/index.ts';
import { claimMailOtpResend, findMailOtp, insertMailOtp, issueMailOtp, latestMailOtp, reserveMailOtpAttempt, useMailOtp } from './factor-store.ts';

export async function sendMailOtpFor(ctx: AppContext, flow: Flow, user: UserRow, ip: string, now: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await mailCode(trx, ctx, user, ip, now, (id, codeHash) => issueMailOtp(trx, flow.id, user.id, id, codeHash, MAIL_OTP_TTL_MS, now));
  });
}

/**
 * Re-send: refused inside the cooldown (item 19: resend is rate limited). The cooldown check, the
 * death of the old code and the carry-over of its failures are one guarded write
 * (claimMailOtpResend), so parallel resends mail exactly one new code (test/security/races.test.ts).
 */
export async function resendMailOtp(ctx: AppContext, flow: Flow, user: UserRow, ip: string, now: number): Promise<void> {
  const sent = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await claimMailOtpResend(trx, flow.id, MAIL_OTP_RESEND_COOLDOWN_MS, now);
    if (!claimed) return false;
    await mailCode(trx, ctx, user, ip, now, (id, codeHash) => insertMailOtp(trx, {
      flowId: flow.id, userId: user.id, id, codeHash, ttlMs: MAIL_OTP_TTL_MS, failures: claimed.failures,
    }, now));
    return true;
  });
  if (sent) return;
  const last = await latestMailOtp(ctx.db, flow.id);
  // No code at all yet (the first send failed): this is the first one.
  if (!last) return sendMailOtpFor(ctx, flow, user, ip, now);
  const left = MAIL_OTP_RESEND_COOLDOWN_MS - (now - last.sent_at);
  throw new DomainError('auth.resend_cooldown', { seconds: Math.max(1, Math.ceil(left / 1000)) });
}

/** Stores a new code (through `store`), queues its mail and audits it, inside the caller's transaction. */
async function mailCode(trx: Db, ctx: AppContext, user: UserRow, ip: string, now: number, store: (id: string, codeHash: string) => Promise<void>): Promise<void> {
  const org = await findOrganisation(trx, user.organisation_id);
  const profile = profileFor(org?.profile ?? 'business');
  const code = generateMailOtp();
  const id = newId();
  await store(id, hashMailOtp(code, id));
  await queueMail(trx, { to: user.email, userId: user.id, lang: user.lang }, 'mail_otp', {
    profileName: profile.displayName[user.lang], code, expiresMinutes: MAIL_OTP_TTL_MS / 60_000,
  }, now);
  await audit(trx, { event: 'mfa.mail_otp_sent', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'mail_otp', ip }, now);
}

/** Checks a typed code against the flow's live challenge; true exactly once. */
export async function verifyMailOtp(ctx: AppContext, flow: Flow, input: string, now: number): Promise<boolean> {
  const challenge = await latestMailOtp(ctx.db, flow.id);
  if (!challenge || challenge.used_at !== null || challenge.superseded_at !== null || challenge.expires_at <= now) return false;
  if (!(await reserveMailOtpAttempt(ctx.db, challenge.id, MAIL_OTP_MAX_FAILURES))) {
    // Refused: no attempts left, or a resend killed this code since it was read (then it is a dead code, not a lockout).
    const current = await findMailOtp(ctx.db, challenge.id);
    if (current && current.superseded_at !== null) return false;
    throw new DomainError('auth.mail_otp_exhausted');
  }
  if (!mailOtpMatches(input, challenge.id, challenge.code_hash)) return false;
  return useMailOtp(ctx.db, challenge.id, now);
}
