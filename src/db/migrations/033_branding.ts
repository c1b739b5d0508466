// Issue 20 item 2: branding per portal preset and per organisation (docs/branding.md).
// - brand_setting: one row per scope (scope 'preset' + a preset name, or 'org' + an organisation
//   id); every field nullable, a null falls back field by field (org → partner org → preset →
//   the product's defaults). Logo and favicon bytes live in the row (base64 text, portable, as
//   ticket attachments: every node serves them), with their content type and a content hash that
//   versions their URL. `version` hashes every field, so a cached page brand can be compared.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('brand_setting')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('name_ja', 'text').addColumn('name_en', 'text')
    .addColumn('colour', 'text')
    .addColumn('footer_ja', 'text').addColumn('footer_en', 'text')
    .addColumn('support_email', 'text').addColumn('support_phone', 'text').addColumn('support_url', 'text')
    .addColumn('support_hours_ja', 'text').addColumn('support_hours_en', 'text')
    .addColumn('logo_type', 'text').addColumn('logo_hash', 'text').addColumn('logo_b64', 'text')
    .addColumn('favicon_type', 'text').addColumn('favicon_hash', 'text').addColumn('favicon_b64', 'text')
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('brand_setting_pk', ['scope', 'scope_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('brand_setting').ifExists().execute();
}
