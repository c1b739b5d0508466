// Building blocks for flow tests: an organisation with a registered user, the mailed link read back
// from the outbox, an independent TOTP implementation (node:crypto, not the project's code path).
import { createHmac } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import type { Role } from '../../src/db/schema.ts';
import { registerUser } from '../../src/auth/registration/service.ts';
import { createOrganisation } from '../../src/auth/tenancy/organisations.ts';
import { publishTerms, DEFAULT_TERMS } from '../../src/auth/terms/service.ts';
import type { Browser, Res } from './client.ts';

export interface GivenUser { id: string; loginId: string; email: string; name: string; phone: string; orgId: string; setupUrl: string }

let seq = 0;
export async function givenUser(ctx: AppContext, o: { role?: Role; name?: string; phone?: string; lang?: 'ja' | 'en'; orgId?: string; profile?: string; kind?: 'direct' | 'partner' | 'child' } = {}): Promise<GivenUser> {
  const orgId = o.orgId ?? (await createOrganisation(ctx.db, { name: `Org ${++seq}`, kind: o.kind ?? 'direct', ...(o.profile ? { profile: o.profile } : {}) }, ctx.now())).id;
  const email = `user${++seq}.${Date.now()}@example.co.jp`;
  const { user, setupUrl } = await registerUser(ctx, {
    organisationId: orgId, email, name: o.name ?? '山田 太郎', phone: o.phone ?? '0312345678', role: o.role ?? 'general', lang: o.lang ?? 'ja',
  }, { userId: null, ip: '127.0.0.1' });
  return { id: user.id, loginId: user.login_id, email, name: user.name, phone: user.phone, orgId, setupUrl };
}

export async function givenTerms(ctx: AppContext) {
  return publishTerms(ctx, DEFAULT_TERMS, { userId: null, ip: '127.0.0.1' });
}

/** The newest mail of a kind to an address, straight from the outbox table. */
export async function lastMail(ctx: AppContext, to: string, kind?: string) {
  let q = ctx.db.selectFrom('mail_outbox').selectAll().where('to_addr', '=', to);
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function linkIn(body: string, pathPrefix: string): string {
  const m = body.match(new RegExp(`https?://[^\\s]+${pathPrefix}[^\\s]+`));
  if (!m) throw new Error(`no ${pathPrefix} link in mail`);
  return m[0];
}

export function mailOtpIn(body: string): string {
  const m = body.match(/\b(\d{6})\b/);
  if (!m) throw new Error('no code in mail');
  return m[1]!;
}

/** RFC 6238 / RFC 4226 written out here, independent of src/: SHA-1, 6 digits, 30 s. */
export function independentTotp(secretBase32: string, timeMs: number, stepOffset = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretBase32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000) + stepOffset));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1]! & 0xf;
  const bin = ((h[o]! & 0x7f) << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!;
  return String(bin % 1_000_000).padStart(6, '0');
}

/** The TOTP secret shown for manual entry on the setup page (spaces removed). */
export function secretOnPage(html: string): string {
  const m = html.match(/<code class="key" id="totp-key">([A-Z2-7 ]+)<\/code>/);
  if (!m) throw new Error('no TOTP key on page');
  return m[1]!.replace(/ /g, '');
}

/** Walks the first login of a user up to "password set" in a browser. */
export async function completeFirstLogin(b: Browser, u: GivenUser, password: string): Promise<Res> {
  let r = await b.follow(await b.get(u.setupUrl));
  const flowPath = b.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!;
  r = await b.follow(await b.post(`${flowPath}/identity`, { email: u.email, name: u.name, phone: u.phone }));
  r = await b.follow(await b.post(`${flowPath}/password`, { password, confirm: password }));
  return r;
}

/** Logs in with password and, for a TOTP user not yet enrolled, enrols; returns the TOTP secret. */
export async function loginAndEnrolTotp(b: Browser, u: GivenUser, password: string, now: number): Promise<{ secret: string; res: Res; backupCodes: string[] }> {
  await b.get('/login');
  let r = await b.follow(await b.post('/login', { loginId: u.loginId, password }));
  const secret = secretOnPage(r.body);
  const flow = r.body.match(/action="(\/auth\/flows\/[^/]+)\/totp-setup"/)![1]!;
  r = await b.follow(await b.post(`${flow}/totp-setup`, { code: independentTotp(secret, now) }));
  const backupCodes = [...r.body.matchAll(/<li><code>([0-9A-Z-]{19})<\/code><\/li>/g)].map((m) => m[1]!);
  r = await b.follow(await b.post(`${flow}/backup-codes`, {}));
  return { secret, res: r, backupCodes };
}

/**
 * A new portal admin who finished first login, passed the password step and chose MailOTP: the
 * browser sits at the MailOTP step; returns that page's form action and the mailed code.
 */
export async function adminAtMailOtpStep(ctx: AppContext, b: Browser, password: string): Promise<{ admin: GivenUser; action: string; code: string }> {
  const admin = await givenUser(ctx, { role: 'admin' });
  await completeFirstLogin(b, admin, password);
  await b.get('/login');
  const choice = await b.follow(await b.post('/login', { loginId: admin.loginId, password }));
  const action = choice.body.match(/action="(\/auth\/flows\/[^/"]+)\/method"/)![1]!;
  const page = await b.follow(await b.post(`${action}/method`, { method: 'mail_otp' }));
  const mailOtpAction = page.body.match(/action="(\/auth\/flows\/[^/"]+\/mail-otp)"/)![1]!;
  return { admin, action: mailOtpAction, code: mailOtpIn((await lastMail(ctx, admin.email, 'mail_otp'))!.body_text) };
}
