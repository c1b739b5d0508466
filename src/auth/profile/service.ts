// The user's own security settings (issue 3 §7): method, TOTP re-enrolment, backup codes,
// trusted browsers, sessions. Sensitive changes need a current code (SECURITY.md items 17, 31).
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit, recentEventsForUser } from '../../audit/log.ts';
import { queueMail } from '../../mail/service.ts';
import { findOrganisation } from '../tenancy/organisations.ts';
import { open } from '../crypto/secret-box.ts';
import { generateBackupCodes, hashBackupCode } from '../factors/backup-codes.ts';
import { matchTotp } from '../factors/totp.ts';
import { createFlow } from '../flows/flow.ts';
import { profileFor } from '../tenancy/presets.ts';
import { listLiveSessions, revokeAllSessions, revokeSessionById } from '../sessions/store.ts';
import { OTP_POLICY } from '../throttle/db-throttle.ts';
import type { UserRow } from '../users/store.ts';
import { acceptTotpStep, backupCodesLeft, listTrustedDevices, replaceBackupCodes, revokeTrustedDevice } from '../login/factor-store.ts';
import { lockedError } from '../login/service.ts';
import { endFlowsOnOtpLock } from '../login/second-factor.ts';
import { throttleKeys } from '../throttle/keys.ts';

export async function securityOverview(ctx: AppContext, user: UserRow) {
  const now = ctx.now();
  const [sessions, devices, backupLeft, events] = await Promise.all([
    listLiveSessions(ctx.db, user.id, now),
    listTrustedDevices(ctx.db, user.id, user.security_epoch, now),
    backupCodesLeft(ctx.db, user.id),
    recentEventsForUser(ctx.db, user.id, 15),
  ]);
  return { sessions, devices, backupLeft, events };
}

/**
 * Re-authentication for sensitive changes: a current TOTP code, taken once like at login (the
 * step is burnt, so a code seen over the shoulder cannot be reused) and throttled on the same counter.
 */
export async function reauthenticateWithTotp(ctx: AppContext, user: UserRow, code: string, ip: string): Promise<void> {
  const now = ctx.now();
  if (user.second_factor !== 'totp' || !user.totp_secret_enc) throw new DomainError('auth.method_not_allowed');
  const v = await ctx.throttle.begin(throttleKeys.otp(user.id), OTP_POLICY, now);
  if (!v.ok) throw lockedError(v.retryAt, now);
  const step = matchTotp(open(ctx.config.totpKeyRing, user.totp_secret_enc, user.id), code, now);
  if (step === null || !(await acceptTotpStep(ctx.db, user.id, step))) {
    await endFlowsOnOtpLock(ctx, user.id, v.failures, now);
    await audit(ctx.db, { event: 'mfa.totp_failed', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'totp', ip, detail: { purpose: 'reauth' } }, now);
    throw new DomainError('auth.invalid_code', {}, { code: [{ key: 'auth.invalid_code' }] });
  }
  await ctx.throttle.succeed(throttleKeys.otp(user.id));
}

/**
 * A fresh TOTP re-enrolment flow with a cookie of its own (the login flow's enrolment steps, its own
 * kind). Confirming the new secret ends every other session and flow; the session it started from
 * (`sessionId`) moves to the new epoch, and the flow's end issues no session (issue 13 item 1).
 */
export async function startTotpReenrolment(ctx: AppContext, user: UserRow, sessionId: string, code: string, ip: string): Promise<{ flowId: string; flowCookie: string }> {
  await reauthenticateWithTotp(ctx, user, code, ip);
  const { flow, cookie } = await createFlow(ctx.db, { kind: 'totp_reenrol', userId: user.id, state: 'awaiting_totp_enrolment', context: { sessionId }, securityEpoch: user.security_epoch, ttlMs: ctx.config.flowMs }, ctx.now());
  return { flowId: flow.id, flowCookie: cookie };
}

/** New backup codes; the old set dies. Returns the plaintext codes to show once. */
export async function regenerateBackupCodes(ctx: AppContext, user: UserRow, code: string, ip: string): Promise<string[]> {
  await reauthenticateWithTotp(ctx, user, code, ip);
  const now = ctx.now();
  const codes = generateBackupCodes();
  const org = await findOrganisation(ctx.db, user.organisation_id);
  const profile = profileFor(org?.profile ?? 'business');
  await ctx.db.transaction().execute(async (trx) => {
    await replaceBackupCodes(trx, user.id, codes.map((c) => hashBackupCode(c, user.id)), now);
    await audit(trx, { event: 'mfa.backup_regenerated', subjectUserId: user.id, organisationId: user.organisation_id, factor: 'backup_code', ip }, now);
    await queueMail(trx, { to: user.email, userId: user.id, lang: user.lang }, 'backup_codes_regenerated', { profileName: profile.displayName[user.lang], userName: user.name, at: now }, now);
  });
  return codes;
}

export async function revokeOwnSession(ctx: AppContext, user: UserRow, sessionId: string, ip: string): Promise<void> {
  const now = ctx.now();
  if (await revokeSessionById(ctx.db, user.id, sessionId, now)) {
    await audit(ctx.db, { event: 'session.revoked', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisation_id, ip }, now);
  }
}

export async function signOutEverywhere(ctx: AppContext, user: UserRow, ip: string): Promise<void> {
  const now = ctx.now();
  const n = await revokeAllSessions(ctx.db, user.id, now);
  await audit(ctx.db, { event: 'session.revoked_all', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisation_id, ip, detail: { sessions: n } }, now);
}

export async function revokeOwnTrustedDevice(ctx: AppContext, user: UserRow, deviceId: string | null, ip: string): Promise<void> {
  const now = ctx.now();
  const n = await revokeTrustedDevice(ctx.db, user.id, deviceId, now);
  if (n) await audit(ctx.db, { event: 'device.revoked', actorUserId: user.id, subjectUserId: user.id, organisationId: user.organisation_id, ip, detail: { count: n } }, now);
}
