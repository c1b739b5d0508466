// Issue 16 §5: an organisation may choose any password policy preset (legacy6, nist …) instead of
// its profile's; null keeps the profile's. Numbered 011: after the portal schema (010).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').addColumn('password_policy', 'text').execute();
}
