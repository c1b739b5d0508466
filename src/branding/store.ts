// The brand_setting rows (migration 033). Reads without the image bytes unless asked for them: the
// page brand cache (cache.ts) holds every row's text fields and hashes, never the images.
import type { Db } from '../db/index.ts';
import type { BrandScope, BrandSettingTable } from '../db/schema.ts';

export type BrandRow = BrandSettingTable;
export type BrandMeta = Omit<BrandSettingTable, 'logo_b64' | 'favicon_b64'>;

export const META_COLUMNS = [
  'scope', 'scope_id', 'name_ja', 'name_en', 'colour', 'footer_ja', 'footer_en', 'support_email', 'support_phone',
  'support_url', 'support_hours_ja', 'support_hours_en', 'logo_type', 'logo_hash', 'favicon_type', 'favicon_hash',
  'version', 'updated_at',
] as const satisfies readonly (keyof BrandMeta)[];

export async function findBrandRow(db: Db, scope: BrandScope, id: string): Promise<BrandRow | undefined> {
  return db.selectFrom('brand_setting').selectAll().where('scope', '=', scope).where('scope_id', '=', id).executeTakeFirst();
}

export async function allBrandMeta(db: Db): Promise<BrandMeta[]> {
  return db.selectFrom('brand_setting').select(META_COLUMNS).orderBy('scope').orderBy('scope_id').execute();
}

/** An organisation's row and its preset's, in one statement (mails). */
export async function brandMetaFor(db: Db, orgId: string, presetId: string): Promise<BrandMeta[]> {
  return db.selectFrom('brand_setting').select(META_COLUMNS)
    .where((eb) => eb.or([
      eb.and([eb('scope', '=', 'org'), eb('scope_id', '=', orgId)]),
      eb.and([eb('scope', '=', 'preset'), eb('scope_id', '=', presetId)]),
    ])).execute();
}

export async function brandImageRow(db: Db, scope: BrandScope, id: string, kind: 'logo' | 'favicon') {
  const row = await db.selectFrom('brand_setting')
    .select(kind === 'logo' ? ['logo_type as type', 'logo_hash as hash', 'logo_b64 as b64'] : ['favicon_type as type', 'favicon_hash as hash', 'favicon_b64 as b64'])
    .where('scope', '=', scope).where('scope_id', '=', id).executeTakeFirst();
  return row && row.type && row.hash && row.b64 ? { type: row.type, hash: row.hash, b64: row.b64 } : undefined;
}

/** Insert or replace the whole row of a scope. */
export async function saveBrandRow(db: Db, row: BrandRow): Promise<void> {
  const { scope: _scope, scope_id: _id, ...rest } = row;
  await db.insertInto('brand_setting').values(row)
    .onConflict((oc) => oc.columns(['scope', 'scope_id']).doUpdateSet(rest)).execute();
}

export async function deleteBrandRow(db: Db, scope: BrandScope, id: string): Promise<boolean> {
  const r = await db.deleteFrom('brand_setting').where('scope', '=', scope).where('scope_id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findBrandColour(db: Db, scope: BrandScope, id: string): Promise<string | null> {
  const r = await db.selectFrom('brand_setting').select('colour').where('scope', '=', scope).where('scope_id', '=', id).executeTakeFirst();
  return r?.colour ?? null;
}
