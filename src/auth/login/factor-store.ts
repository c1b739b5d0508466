// Second-factor state: TOTP replay guard, backup codes, MailOTP challenges, trusted browsers.
// Every single-use thing is a guarded UPDATE, never read-then-write (STYLE.md, SECURITY.md 16–20).
import type { MailOtpTable, TrustedDeviceTable } from '../../db/schema.ts';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { newId, sha256Hex } from '../crypto/tokens.ts';
import { TOTP_PERIOD_S } from '../factors/totp.ts';

/**
 * RFC 6238 §5.2: each time step accepted once per user, across nodes. False = replay (or no TOTP
 * factor). One guarded UPDATE on the user's TOTP factor row (SECURITY.md 16). `now` stamps
 * last_used_at; without it, the start of the accepted step stands in (the step came from the server clock).
 */
export async function acceptTotpStep(db: Db, userId: string, step: number, now?: number): Promise<boolean> {
  const r = await db.updateTable('factor').set({ last_step: step, last_used_at: now ?? step * TOTP_PERIOD_S * 1000 })
    .where('user_id', '=', userId).where('kind', '=', 'totp').where('last_step', '<', step).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A confirmed enrolment becomes the user's TOTP factor row; re-enrolment replaces the secret (one
 * upsert on the one-TOTP-per-user index, so two confirmations racing leave one row). The confirming
 * step is recorded as used.
 */
export async function saveTotpEnrolment(db: Db, userId: string, secretBox: string, step: number, now: number): Promise<void> {
  await db.insertInto('factor').values({
    id: newId(), user_id: userId, kind: 'totp', secret_enc: secretBox, label: null, created_at: now, last_used_at: now, last_step: step,
  }).onConflict((oc) => oc.column('user_id').where(sql<boolean>`kind = 'totp'`)
    .doUpdateSet({ secret_enc: secretBox, created_at: now, last_used_at: now, last_step: step })).execute();
  await db.updateTable('app_user').set({ second_factor: 'totp', updated_at: now }).where('id', '=', userId).execute();
}

/** Admin "reset TOTP": the user re-enrols at next login (issue 4). The caller bumps the security epoch (item 38). */
export async function clearTotp(db: Db, userId: string, now: number): Promise<void> {
  await db.deleteFrom('factor').where('user_id', '=', userId).where('kind', '=', 'totp').execute();
  await db.updateTable('app_user').set({ updated_at: now }).where('id', '=', userId).execute();
}

// --- backup codes: one hashed row per code -------------------------------------------------------

export async function replaceBackupCodes(db: Db, userId: string, hashes: string[], now: number): Promise<void> {
  await db.deleteFrom('backup_code').where('user_id', '=', userId).execute();
  if (hashes.length) {
    await db.insertInto('backup_code').values(hashes.map((h) => ({ id: newId(), user_id: userId, code_hash: h, created_at: now, used_at: null }))).execute();
  }
}

export async function useBackupCode(db: Db, userId: string, codeHash: string, now: number): Promise<boolean> {
  const r = await db.updateTable('backup_code').set({ used_at: now })
    .where('user_id', '=', userId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function backupCodesLeft(db: Db, userId: string): Promise<number> {
  const r = await db.selectFrom('backup_code').select((e) => e.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

// --- MailOTP challenges, bound to the login flow that asked (item 18) ---------------------------

export type MailOtpRow = MailOtpTable;

/**
 * A new code for a flow; the previous one dies (item 19) and its failures carry over. The carry-over
 * is the guarded write itself: killing the live code RETURNs its count in the same statement, and
 * reserveMailOtpAttempt refuses a killed code, so no attempt counted on the old code can land after
 * its count was copied (a read-then-write would lose attempts racing the resend).
 */
export async function issueMailOtp(db: Db, flowId: string, userId: string, id: string, codeHash: string, ttlMs: number, now: number): Promise<void> {
  const killed = await db.updateTable('mail_otp').set({ superseded_at: now })
    .where('flow_id', '=', flowId).where('used_at', 'is', null).where('superseded_at', 'is', null)
    .returning(['failures']).execute();
  const failures = killed.length ? Math.max(...killed.map((k) => Number(k.failures))) : (await latestMailOtp(db, flowId))?.failures ?? 0;
  await insertMailOtp(db, { flowId, userId, id, codeHash, ttlMs, failures }, now);
}

/**
 * Item 19's cooldown as one guarded write: kills the flow's live code only if it was sent at least
 * `cooldownMs` ago, and returns its failure count (to carry over), or null when the cooldown runs
 * (or no code is live). Of N resends racing, one kills the code; the others match no row (on
 * PostgreSQL they wait for its row lock and then see it killed), so exactly one new code is mailed.
 */
export async function claimMailOtpResend(db: Db, flowId: string, cooldownMs: number, now: number): Promise<{ failures: number } | null> {
  const killed = await db.updateTable('mail_otp').set({ superseded_at: now })
    .where('flow_id', '=', flowId).where('used_at', 'is', null).where('superseded_at', 'is', null)
    .where('sent_at', '<=', now - cooldownMs)
    .returning(['failures']).execute();
  return killed.length ? { failures: Math.max(...killed.map((k) => Number(k.failures))) } : null;
}

export async function insertMailOtp(
  db: Db, c: { flowId: string; userId: string; id: string; codeHash: string; ttlMs: number; failures: number }, now: number,
): Promise<void> {
  await db.insertInto('mail_otp').values({
    id: c.id, flow_id: c.flowId, user_id: c.userId, code_hash: c.codeHash, expires_at: now + c.ttlMs, used_at: null,
    superseded_at: null, failures: c.failures, sent_at: now,
  }).execute();
}

export async function findMailOtp(db: Db, id: string): Promise<MailOtpRow | undefined> {
  return db.selectFrom('mail_otp').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function latestMailOtp(db: Db, flowId: string): Promise<MailOtpRow | undefined> {
  return db.selectFrom('mail_otp').selectAll().where('flow_id', '=', flowId)
    .orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * Counts an attempt before the code is compared; false = no attempts left (item 21) or the code was
 * killed by a resend meanwhile (its count has been carried over; the new code is what counts now).
 */
export async function reserveMailOtpAttempt(db: Db, id: string, maxFailures: number): Promise<boolean> {
  const r = await db.updateTable('mail_otp').set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id', '=', id).where('failures', '<', maxFailures).where('superseded_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Uses the code once; the reserved attempt is given back on success. */
export async function useMailOtp(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('mail_otp')
    .set((eb) => ({ used_at: now, failures: eb('failures', '-', 1) }))
    .where('id', '=', id).where('used_at', 'is', null).where('superseded_at', 'is', null).where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- trusted browsers (S3.7): random token, only its hash stored, bound to user + epoch ---------

export type TrustedDeviceRow = TrustedDeviceTable;

export async function insertTrustedDevice(db: Db, userId: string, token: string, epoch: number, userAgent: string, ttlMs: number, now: number): Promise<void> {
  await db.insertInto('trusted_device').values({
    id: newId(), user_id: userId, token_hash: sha256Hex(token), security_epoch: epoch, user_agent: userAgent.slice(0, 300),
    created_at: now, expires_at: now + ttlMs, last_used_at: null, revoked_at: null,
  }).execute();
}

export async function findLiveTrustedDevice(db: Db, userId: string, token: string, epoch: number, now: number): Promise<TrustedDeviceRow | undefined> {
  if (token.length < 40 || token.length > 60) return undefined;
  return db.selectFrom('trusted_device').selectAll()
    .where('token_hash', '=', sha256Hex(token)).where('user_id', '=', userId).where('security_epoch', '=', epoch)
    .where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
}

export async function touchTrustedDevice(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('trusted_device').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function listTrustedDevices(db: Db, userId: string, epoch: number, now: number): Promise<TrustedDeviceRow[]> {
  return db.selectFrom('trusted_device').selectAll().where('user_id', '=', userId).where('security_epoch', '=', epoch)
    .where('revoked_at', 'is', null).where('expires_at', '>', now).orderBy('created_at', 'desc').execute();
}

export async function revokeTrustedDevice(db: Db, userId: string, id: string | null, now: number): Promise<number> {
  let q = db.updateTable('trusted_device').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (id) q = q.where('id', '=', id);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export async function trustedNetworks(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('trusted_network').select('cidr').where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => r.cidr);
}
