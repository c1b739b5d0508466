// What the provider offers: categories (data centre, voice/video/phone …) and services (S7).
// Operators create and rename them (console, JSON API, CLI: these same functions); everything here
// checks every field at once, answers per field, and writes nothing on refusal.
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/index.ts';
import type { Lang } from '../../db/schema.ts';
import { DomainError, type FieldErrors } from '../../errors.ts';
import { auditOperator, type OperatorActor } from '../../audit/log.ts';
import { contractSearchText } from '../search.ts';
import {
  findCategoryByCode, findServiceByCode, insertCategory, insertService, listCategories, listServices,
  type CategoryRow, type ServiceRow,
} from './store.ts';

export type { CategoryRow, ServiceRow };
export { listCategories, listServices, findService, findServiceByCode, findCategoryByCode } from './store.ts';

const CODE_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MAX_NAME = 100;
const SYSTEM: OperatorActor = { userId: null, ip: 'cli' };

function code(raw: string, fields: FieldErrors): string {
  const c = raw.trim();
  if (!CODE_RE.test(c)) fields.code = [{ key: 'catalogue.code_invalid', params: { value: raw.slice(0, 60) } }];
  return c;
}

function name(raw: string | undefined, field: string, fields: FieldErrors): string | undefined {
  if (raw === undefined) return undefined;
  const n = raw.trim();
  if (!n || n.length > MAX_NAME) fields[field] = [{ key: 'catalogue.name_invalid', params: { max: MAX_NAME } }];
  return n;
}

/** '' or null: no settings site; otherwise an http(s) URL. */
function siteUrl(raw: string | null | undefined, fields: FieldErrors): string | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return null;
  try {
    const u = new URL(raw.trim());
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
  } catch { /* refused below */ }
  fields.settings_site_url = [{ key: 'catalogue.url_invalid' }];
  return undefined;
}

function position(raw: number | undefined, fields: FieldErrors): number | undefined {
  if (raw === undefined) return undefined;
  if (!Number.isInteger(raw) || raw < 0 || raw > 10_000) fields.position = [{ key: 'catalogue.position_invalid' }];
  return raw;
}

function refuseIf(fields: FieldErrors): void {
  if (Object.keys(fields).length) throw new DomainError('common.field_errors', {}, fields);
}

/** The display name of a service or category in the reader's language. */
export function nameIn(row: { name_ja: string; name_en: string }, lang: Lang): string {
  return lang === 'ja' ? row.name_ja : row.name_en;
}

export async function createCategory(db: Db, input: { code: string; nameJa: string; nameEn: string; position?: number }, actor: OperatorActor | null = SYSTEM, now = Date.now()): Promise<CategoryRow> {
  const fields: FieldErrors = {};
  const row: CategoryRow = {
    id: newId(), code: code(input.code, fields), name_ja: name(input.nameJa, 'name_ja', fields)!, name_en: name(input.nameEn, 'name_en', fields)!,
    position: position(input.position ?? 0, fields)!,
  };
  if (!fields.code && (await findCategoryByCode(db, row.code))) fields.code = [{ key: 'catalogue.code_taken', params: { code: row.code } }];
  refuseIf(fields);
  await db.transaction().execute(async (trx) => {
    await insertCategory(trx, row);
    if (actor) await auditOperator(trx, actor, 'category.created', { detail: { code: row.code } }, now);
  });
  return row;
}

/** Renames a category or moves it on the dashboard; only the given fields change. */
export async function updateCategory(db: Db, categoryCode: string, change: { nameJa?: string; nameEn?: string; position?: number }, actor: OperatorActor, now: number): Promise<CategoryRow> {
  const current = await findCategoryByCode(db, categoryCode.trim());
  if (!current) throw new DomainError('catalogue.unknown_category', { code: categoryCode.slice(0, 60) });
  const fields: FieldErrors = {};
  const next: CategoryRow = {
    ...current, name_ja: name(change.nameJa, 'name_ja', fields) ?? current.name_ja, name_en: name(change.nameEn, 'name_en', fields) ?? current.name_en,
    position: position(change.position, fields) ?? current.position,
  };
  refuseIf(fields);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('service_category').set({ name_ja: next.name_ja, name_en: next.name_en, position: next.position }).where('id', '=', current.id).execute();
    await auditOperator(trx, actor, 'category.updated', { detail: { code: current.code } }, now);
  });
  return next;
}

export async function createService(db: Db, input: {
  code: string; categoryCode: string; nameJa: string; nameEn: string; settingsSiteUrl?: string | null;
}, now: number, actor: OperatorActor | null = SYSTEM): Promise<ServiceRow> {
  const fields: FieldErrors = {};
  const serviceCode = code(input.code, fields);
  const nameJa = name(input.nameJa, 'name_ja', fields)!;
  const nameEn = name(input.nameEn, 'name_en', fields)!;
  const url = siteUrl(input.settingsSiteUrl ?? null, fields) ?? null;
  const category = await findCategoryByCode(db, input.categoryCode.trim());
  if (!category) fields.category = [{ key: 'catalogue.unknown_category', params: { code: input.categoryCode.slice(0, 60) } }];
  if (!fields.code && (await findServiceByCode(db, serviceCode))) fields.code = [{ key: 'catalogue.code_taken', params: { code: serviceCode } }];
  refuseIf(fields);
  const row: ServiceRow = { id: newId(), code: serviceCode, category_id: category!.id, name_ja: nameJa, name_en: nameEn, settings_site_url: url, created_at: now };
  await db.transaction().execute(async (trx) => {
    await insertService(trx, row);
    if (actor) await auditOperator(trx, actor, 'service.created', { detail: { code: row.code } }, now);
  });
  return row;
}

export interface ServiceChange { nameJa?: string; nameEn?: string; categoryCode?: string; settingsSiteUrl?: string | null }

/**
 * Renames a service (ja/en), moves it to another category, gives it a settings site or takes it
 * away. A new name renews the search text of the service's contracts in the same transaction
 * (S8: the keyword filter matches the service name), in batches.
 */
export async function updateService(db: Db, serviceCode: string, change: ServiceChange, actor: OperatorActor, now: number): Promise<ServiceRow> {
  const current = await findServiceByCode(db, serviceCode.trim());
  if (!current) throw new DomainError('catalogue.unknown_service', { code: serviceCode.slice(0, 60) });
  const fields: FieldErrors = {};
  const next: ServiceRow = {
    ...current, name_ja: name(change.nameJa, 'name_ja', fields) ?? current.name_ja, name_en: name(change.nameEn, 'name_en', fields) ?? current.name_en,
  };
  const url = siteUrl(change.settingsSiteUrl, fields);
  if (url !== undefined) next.settings_site_url = url;
  if (change.categoryCode !== undefined) {
    const category = await findCategoryByCode(db, change.categoryCode.trim());
    if (!category) fields.category = [{ key: 'catalogue.unknown_category', params: { code: change.categoryCode.slice(0, 60) } }];
    else next.category_id = category.id;
  }
  refuseIf(fields);
  const renamed = next.name_ja !== current.name_ja || next.name_en !== current.name_en;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('service').set({ name_ja: next.name_ja, name_en: next.name_en, category_id: next.category_id, settings_site_url: next.settings_site_url })
      .where('id', '=', current.id).execute();
    if (renamed) await renewSearchText(trx, next);
    await auditOperator(trx, actor, 'service.updated', { detail: { code: current.code, renamed, settings_site: next.settings_site_url !== null } }, now);
  });
  return next;
}

/** The search text of every contract of a service, after its names changed (keyset batches of 500). */
async function renewSearchText(db: Db, service: ServiceRow): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('contract').select(['id', 'number', 'group_number', 'site', 'memo'])
      .where('service_id', '=', service.id).where('id', '>', after).orderBy('id').limit(500).execute();
    for (const c of rows) {
      const text = contractSearchText({ number: c.number, groupNumber: c.group_number, site: c.site, memo: c.memo, serviceNameJa: service.name_ja, serviceNameEn: service.name_en });
      await db.updateTable('contract').set({ search_text: text }).where('id', '=', c.id).execute();
    }
    if (rows.length < 500) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function allCategories(db: Db): Promise<CategoryRow[]> {
  return listCategories(db);
}
