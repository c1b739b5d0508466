// Issue 23: passkeys as factor rows of kind 'passkey' (migration 036). Every single-use thing is a
// guarded write (STYLE.md): the counter moves by one conditional UPDATE, a challenge is consumed
// with its flow's version.
import type { Db } from '../../db/index.ts';
import type { FactorTable } from '../../db/schema.ts';
import { newId } from '../crypto/tokens.ts';
import type { Flow } from '../flows/flow.ts';
import type { FlowContext } from '../flows/states.ts';
import type { NewPasskey } from './ceremony.ts';

export interface Passkey {
  id: string; userId: string; label: string; credentialId: string; publicKey: string; signCount: number; transports: string[];
  aaguid: string; backupEligible: boolean; backedUp: boolean; createdAt: number; lastUsedAt: number | null;
}

function toPasskey(r: FactorTable): Passkey {
  return {
    id: r.id, userId: r.user_id, label: r.label ?? '', credentialId: r.credential_id ?? '', publicKey: r.public_key ?? '',
    signCount: Number(r.sign_count ?? 0), transports: (r.transports ?? '').split(',').filter(Boolean), aaguid: r.aaguid ?? '',
    backupEligible: r.backup_eligible_at != null, backedUp: r.backed_up_at != null,
    createdAt: Number(r.created_at), lastUsedAt: r.last_used_at == null ? null : Number(r.last_used_at),
  };
}

export async function listPasskeys(db: Db, userId: string): Promise<Passkey[]> {
  const rows = await db.selectFrom('factor').selectAll().where('user_id', '=', userId).where('kind', '=', 'passkey').orderBy('created_at').orderBy('id').execute();
  return rows.map(toPasskey);
}

/** The passkey a credential id names (passwordless: it names the user too). */
export async function findPasskeyByCredentialId(db: Db, credentialId: string): Promise<Passkey | undefined> {
  const r = await db.selectFrom('factor').selectAll().where('kind', '=', 'passkey').where('credential_id', '=', credentialId).executeTakeFirst();
  return r ? toPasskey(r) : undefined;
}

export const MAX_PASSKEYS = 20;
export const MAX_LABEL = 60;

/** A new passkey row; false when the credential id is registered already (the unique index decides). */
export async function insertPasskey(db: Db, userId: string, label: string, p: NewPasskey, now: number): Promise<string | null> {
  const id = newId();
  const r = await db.insertInto('factor').values({
    id, user_id: userId, kind: 'passkey', secret_enc: '', label: label.slice(0, MAX_LABEL), created_at: now, last_used_at: null, last_step: 0,
    credential_id: p.credentialId, public_key: p.publicKey, sign_count: p.signCount, transports: p.transports.join(','), aaguid: p.aaguid,
    backup_eligible_at: p.backupEligible ? now : null, backed_up_at: p.backedUp ? now : null, device_type: p.deviceType,
  }).onConflict((oc) => oc.column('credential_id').where('credential_id', 'is not', null).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1 ? id : null;
}

/**
 * Records a use: the new counter, last use and backup state, in one guarded UPDATE that also makes
 * the regression check (WebAuthn §6.1.1): it matches only while the stored counter is still the one
 * the check saw and the new one is higher (or both are 0). False: a regression or a racing use.
 */
export async function recordPasskeyUse(db: Db, p: Passkey, newCounter: number, backedUp: boolean, now: number): Promise<boolean> {
  let q = db.updateTable('factor').set({ sign_count: newCounter, last_used_at: now, backed_up_at: backedUp ? now : null })
    .where('id', '=', p.id).where('kind', '=', 'passkey').where('sign_count', '=', p.signCount);
  if (!(p.signCount === 0 && newCounter === 0)) q = q.where('sign_count', '<', newCounter);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deletePasskey(db: Db, userId: string, id: string): Promise<Passkey | undefined> {
  const row = await db.selectFrom('factor').selectAll().where('id', '=', id).where('user_id', '=', userId).where('kind', '=', 'passkey').executeTakeFirst();
  if (!row) return undefined;
  const r = await db.deleteFrom('factor').where('id', '=', id).where('user_id', '=', userId).where('kind', '=', 'passkey').executeTakeFirst();
  return Number(r.numDeletedRows) === 1 ? toPasskey(row) : undefined;
}

export async function renamePasskey(db: Db, userId: string, id: string, label: string): Promise<boolean> {
  const r = await db.updateTable('factor').set({ label: label.slice(0, MAX_LABEL) })
    .where('id', '=', id).where('user_id', '=', userId).where('kind', '=', 'passkey').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A flow's context written with its version (any flow, with or without a user): the challenge a step
 * read is consumed by this write, so of two answers racing for it one matches and the other finds a
 * newer version. Returns the flow as written, or null when another write came first.
 */
export async function writeFlowContext(db: Db, flow: Flow, context: FlowContext, now: number): Promise<Flow | null> {
  const r = await db.updateTable('flow').set({ version: flow.version + 1, context: JSON.stringify(context), updated_at: now })
    .where('id', '=', flow.id).where('version', '=', flow.version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? { ...flow, version: flow.version + 1, context } : null;
}
