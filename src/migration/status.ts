// `migrate status` (issue 21 item 5): per organisation made by the import, how many imported users
// completed their first login and how many did not, and the users themselves, page by page; and the
// imports with their periods. The provider's console (src/operator) reads the same functions.
import type { Db } from '../db/index.ts';
import { legacyFirstLoginCounts, legacyUsersPage, organisationNames, type LegacyUserProgress } from '../auth/service.ts';
import { allContracts, guideCounts, listMigrations } from './store.ts';
import { periodState, type PeriodState } from './period.ts';

export interface OrgProgress { contract: string; parentContract: string | null; organisationId: string; organisation: string; users: number; completed: number; pending: number }

export async function migrationProgress(db: Db): Promise<OrgProgress[]> {
  const contracts = await allContracts(db);
  const counts = new Map((await legacyFirstLoginCounts(db)).map((c) => [c.organisationId, c]));
  const names = await organisationNames(db, contracts.map((c) => c.organisation_id));
  return contracts.map((c) => {
    const n = counts.get(c.organisation_id);
    const users = n?.users ?? 0;
    const completed = n?.completed ?? 0;
    return { contract: c.contract_key, parentContract: c.parent_key, organisationId: c.organisation_id, organisation: names.get(c.organisation_id) ?? '', users, completed, pending: users - completed };
  });
}

/** Every imported user with their organisation's contract, in pages of `size` (keyset by user id). */
export async function* importedUsers(db: Db, size = 5000): AsyncGenerator<LegacyUserProgress & { contract: string }> {
  const contracts = new Map((await allContracts(db)).map((c) => [c.organisation_id, c.contract_key]));
  let after = '';
  for (;;) {
    const page = await legacyUsersPage(db, after, size);
    for (const u of page) yield { ...u, contract: contracts.get(u.organisationId) ?? '' };
    if (page.length < size) return;
    after = page.at(-1)!.id;
  }
}

/** One import as `migrate status` lists it, with where its period is now and its mails sent so far. */
export interface MigrationSummary {
  id: string; fileName: string; startedAt: number; finishedAt: number | null; imported: number;
  periodStartsAt: number | null; periodEndsAt: number | null; periodState: PeriodState; guidesSent: number;
}

/** Every import, oldest first (the provider's console shows them; the CLI prints the same rows). */
export async function migrationSummaries(db: Db, now: number): Promise<MigrationSummary[]> {
  const out: MigrationSummary[] = [];
  for (const m of await listMigrations(db)) {
    // One count per import: a provider runs a handful of imports, never many.
    const { sent } = await guideCounts(db, m.id);
    out.push({
      id: m.id, fileName: m.file_name, startedAt: m.started_at, finishedAt: m.finished_at, imported: m.imported,
      periodStartsAt: m.period_starts_at, periodEndsAt: m.period_ends_at, periodState: periodState(m, now), guidesSent: sent,
    });
  }
  return out;
}

/** The columns of `migrate status --csv` and the console's CSV: one source, so the two cannot drift. */
export const STATUS_CSV_COLUMNS = ['contract', 'organisation_id', 'login_id', 'email', 'name', 'first_login', 'last_login'] as const;

export function statusCsvCells(u: { contract: string; organisationId: string; loginId: string; email: string; name: string; lastLoginAt: number | null }): string[] {
  const done = u.lastLoginAt !== null;
  return [u.contract, u.organisationId, u.loginId, u.email, u.name, done ? 'completed' : 'not_completed', done ? new Date(u.lastLoginAt!).toISOString() : ''];
}
