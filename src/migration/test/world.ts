// Test fixtures of the migration tests: organisations and plain users made through auth's door.
import type { Db } from '../../db/index.ts';
import { createOrganisation, insertUsers } from '../../auth/service.ts';

export { createOrganisation };

/** A new-portal user with this login ID (the collisions S11 talks about). */
export async function registerUserRowForTest(db: Db, organisationId: string, loginId: string): Promise<string> {
  const [id] = await insertUsers(db, [{ organisationId, loginId, email: 'x@example.com', name: 'X', phone: '0312345678', role: 'general', lang: 'ja' }], 1);
  return id!;
}
