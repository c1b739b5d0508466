// SECURITY.md items 40, 41 (docs/decisions/020-plain-addresses-and-canonical-login-ids.md):
// login IDs become unique by their canonical form, and stored e-mail domains take the stored form
// (lower case, IDNA). Both forms are computed in JavaScript (NFKC, case folding and IDNA have no
// portable SQL), row by row, in the migration's transaction.
import type { Kysely } from 'kysely';
import { canonicalLoginId, checkEmail } from '../../auth/identity/canonical.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('login_id_canonical', 'text').execute();
  const rows = await db.selectFrom('app_user').select(['id', 'login_id', 'email', 'organisation_id', 'created_at'])
    .orderBy('created_at').orderBy('id').execute() as { id: string; login_id: string; email: string; organisation_id: string; created_at: number }[];
  const owner = new Map<string, string>();
  const now = Date.now();
  for (const r of rows) {
    const canonical = canonicalLoginId(r.login_id);
    // The oldest row keeps the canonical form; a later look-alike keeps its exact login ID (it still
    // logs in with it) but a placeholder canonical form, and the clash is audited for the admins.
    const clash = owner.get(canonical);
    const stored = clash === undefined ? canonical : `~clash:${r.id}`;
    if (clash === undefined) owner.set(canonical, r.id);
    const email = checkEmail(r.email);
    await db.updateTable('app_user')
      .set({ login_id_canonical: stored, ...(email.ok ? { email: email.email } : {}) })
      .where('id', '=', r.id).execute();
    if (clash !== undefined) {
      await db.insertInto('audit_log').values({
        id: `m002-${r.id}`, at: now, event: 'user.login_id_clash', actor_user_id: null, subject_user_id: r.id,
        organisation_id: r.organisation_id, factor: null, ip: 'migration', detail: JSON.stringify({ loginId: r.login_id, olderUserId: clash }),
      }).execute();
    }
  }
  await db.schema.createIndex('app_user_login_canonical_idx').unique().on('app_user').column('login_id_canonical').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('app_user_login_canonical_idx').ifExists().execute();
  await db.schema.alterTable('app_user').dropColumn('login_id_canonical').execute();
}
