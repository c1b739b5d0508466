// `migrate status` (issue 21 item 5): per organisation made by the import, how many imported users
// completed their first login and how many did not, and the users themselves, page by page.
import type { Db } from '../db/index.ts';
import { legacyFirstLoginCounts, legacyUsersPage, organisationNames, type LegacyUserProgress } from '../auth/service.ts';
import { allContracts } from './store.ts';

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
