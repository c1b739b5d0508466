// Notices aimed at contracts (issue 24 item 1): which contracts a notice affects and how (impact),
// where the work stands (status, with its history), and the post-incident report attached later.
// Operators write through these functions (console, operator API, CLI), each audited; customers read
// only what the contract rule (access.ts) lets them see.
import type { Db } from '../../db/index.ts';
import type { NoticeImpact, NoticeStatus } from '../../db/schema.ts';
import { newId } from '../../lib/index.ts';
import { DomainError } from '../../errors.ts';
import { auditOperator } from '../../audit/log.ts';
import type { OpsActor } from '../maintenance/service.ts';
import { checkAttachments } from '../tickets/attachments.ts';
import { findNotice } from './store.ts';
import { contractIdsByNumber, insertStatusEvent, setStatusRow, upsertReport } from './targets-store.ts';

export const NOTICE_STATUSES: readonly NoticeStatus[] = ['tentative', 'confirmed', 'in_progress', 'completed', 'cancelled'];
/** Most severe first: the order a notice's impact for one reader is chosen by. */
export const NOTICE_IMPACTS: readonly NoticeImpact[] = ['outage', 'degraded', 'reduced_redundancy', 'none'];
/** More contracts than this on one notice: aim it at services instead. */
export const MAX_CONTRACTS = 2000;

export interface ContractTarget { number: string; impact: NoticeImpact }
export interface ResolvedTarget extends ContractTarget { contractId: string }

const IMPACT_WORDS: Record<string, NoticeImpact> = {
  outage: 'outage', degraded: 'degraded', reduced_redundancy: 'reduced_redundancy', 'reduced-redundancy': 'reduced_redundancy',
  none: 'none', 'no-impact': 'none', no_impact: 'none',
};

export function isStatus(s: string): s is NoticeStatus { return (NOTICE_STATUSES as readonly string[]).includes(s); }

function refuseContracts(params: Record<string, string | number>): never {
  throw new DomainError('notices.contracts_invalid', params, { contracts: [{ key: 'notices.contracts_invalid', params }] });
}

/**
 * The console's textarea (or a CSV paste): one contract per line, «number impact» separated by a
 * space, tab, comma or semicolon; the impact is outage, degraded, reduced_redundancy (or
 * reduced-redundancy) or none (no-impact). Empty lines are skipped; a number given twice is refused.
 */
export function parseContractLines(text: string): ContractTarget[] {
  const out: ContractTarget[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const [number, word, ...rest] = line.split(/[\s,;]+/);
    const impact = IMPACT_WORDS[(word ?? '').toLowerCase()];
    if (!number || !impact || rest.length || number.length > 32) refuseContracts({ line: i + 1 });
    if (seen.has(number)) refuseContracts({ line: i + 1 });
    seen.add(number);
    out.push({ number, impact });
  }
  if (out.length > MAX_CONTRACTS) throw new DomainError('notices.too_many_contracts', { max: MAX_CONTRACTS }, { contracts: [{ key: 'notices.too_many_contracts', params: { max: MAX_CONTRACTS } }] });
  return out;
}

/** The lines' text again (the console's form shows a notice's contracts this way). */
export function contractLinesOf(targets: ReadonlyArray<ContractTarget>): string {
  return targets.map((t) => `${t.number} ${t.impact}`).join('\n');
}

/** Contract numbers to ids; unknown numbers are refused by name. */
export async function resolveTargets(db: Db, targets: readonly ContractTarget[]): Promise<ResolvedTarget[]> {
  if (targets.length > MAX_CONTRACTS) throw new DomainError('notices.too_many_contracts', { max: MAX_CONTRACTS }, { contracts: [{ key: 'notices.too_many_contracts', params: { max: MAX_CONTRACTS } }] });
  const ids = await contractIdsByNumber(db, targets.map((t) => t.number));
  const unknown = targets.filter((t) => !ids.has(t.number)).map((t) => t.number);
  if (unknown.length) {
    const params = { numbers: unknown.slice(0, 10).join(', ') + (unknown.length > 10 ? ' …' : '') };
    throw new DomainError('notices.unknown_contracts', params, { contracts: [{ key: 'notices.unknown_contracts', params }] });
  }
  return targets.map((t) => ({ ...t, contractId: ids.get(t.number)! }));
}

/**
 * Moves a notice to another status (compare-and-swap on the status read, so two operators changing
 * it at once cannot both win); the change is kept in the history and audited. A withdrawn notice,
 * or the status it already has, is refused.
 */
export async function setNoticeStatus(db: Db, id: string, to: NoticeStatus, actor: OpsActor, now: number, after?: (trx: Db) => Promise<void>): Promise<NoticeStatus> {
  if (!isStatus(to)) throw new DomainError('notices.status_invalid', {}, { status: [{ key: 'notices.status_invalid' }] });
  const n = await findNotice(db, id);
  if (!n) throw new DomainError('common.not_found');
  if (n.withdrawn_at !== null) throw new DomainError('notices.already_withdrawn');
  if (n.status === to) throw new DomainError('notices.status_unchanged', {}, { status: [{ key: 'notices.status_unchanged' }] });
  await db.transaction().execute(async (trx) => {
    if (!(await setStatusRow(trx, id, n.status, to, now))) throw new DomainError('notices.status_conflict');
    await insertStatusEvent(trx, { id: newId(), notice_id: id, status: to, at: now, by_user_id: actor.userId });
    await auditOperator(trx, actor, 'notice.status_changed', { detail: { notice: id, from: n.status, to } }, now);
    if (after) await after(trx);
  });
  return n.status;
}

/**
 * Attaches (or replaces) the post-incident report: one document, checked as ticket attachments are
 * (decision 031: type by extension and signature, 5 MiB, a plain name). Audited.
 */
export async function attachNoticeReport(db: Db, id: string, file: { filename: string; data: Buffer }, actor: OpsActor, now: number): Promise<void> {
  const n = await findNotice(db, id);
  if (!n) throw new DomainError('common.not_found');
  if (n.withdrawn_at !== null) throw new DomainError('notices.already_withdrawn');
  const [checked] = checkAttachments([{ field: 'report', filename: file.filename, declaredType: '', data: file.data }]);
  const c = checked!;
  await db.transaction().execute(async (trx) => {
    await upsertReport(trx, {
      notice_id: id, filename: c.filename, content_type: c.contentType, size: c.size, sha256: c.sha256,
      content_b64: c.data.toString('base64'), attached_at: now, by_user_id: actor.userId,
    });
    await auditOperator(trx, actor, 'notice.report_attached', { detail: { notice: id, file: c.filename, size: c.size } }, now);
  });
}
