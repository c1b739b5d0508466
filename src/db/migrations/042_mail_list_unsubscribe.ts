// Issue 24 item 2: a technical contact's maintenance mail carries one-click unsubscribe headers
// (RFC 2369 List-Unsubscribe, RFC 8058 List-Unsubscribe-Post), so a mail provider's «unsubscribe»
// button works. The outbox keeps the URL with the mail, as it keeps the reply address.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('list_unsubscribe', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('list_unsubscribe').execute();
}
