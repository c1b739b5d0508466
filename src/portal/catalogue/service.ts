// What the provider offers: categories (data centre, voice/video/phone …) and services (S7).
// Operators create them (CLI); everything here checks its input and writes nothing on refusal.
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/index.ts';
import type { Lang } from '../../db/schema.ts';
import { PortalInputError } from '../errors.ts';
import {
  findCategoryByCode, findServiceByCode, insertCategory, insertService, listCategories, listServices,
  type CategoryRow, type ServiceRow,
} from './store.ts';

export type { CategoryRow, ServiceRow };
export { listCategories, listServices, findService, findServiceByCode } from './store.ts';

const CODE_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MAX_NAME = 100;

function code(raw: string, what: string): string {
  const c = raw.trim();
  if (!CODE_RE.test(c)) throw new PortalInputError(`${what} code must be 1–40 lower-case letters, digits or "-" (got "${raw}")`);
  return c;
}

function name(raw: string, what: string): string {
  const n = raw.trim();
  if (!n || n.length > MAX_NAME) throw new PortalInputError(`${what} must be 1–${MAX_NAME} characters`);
  return n;
}

/** The display name of a service or category in the reader's language. */
export function nameIn(row: { name_ja: string; name_en: string }, lang: Lang): string {
  return lang === 'ja' ? row.name_ja : row.name_en;
}

export async function createCategory(db: Db, input: { code: string; nameJa: string; nameEn: string; position?: number }): Promise<CategoryRow> {
  const row: CategoryRow = {
    id: newId(), code: code(input.code, 'category'), name_ja: name(input.nameJa, '--name-ja'), name_en: name(input.nameEn, '--name-en'),
    position: input.position ?? 0,
  };
  if (await findCategoryByCode(db, row.code)) throw new PortalInputError(`a category with code "${row.code}" exists already`);
  await insertCategory(db, row);
  return row;
}

export async function createService(db: Db, input: {
  code: string; categoryCode: string; nameJa: string; nameEn: string; settingsSiteUrl?: string | null;
}, now: number): Promise<ServiceRow> {
  const serviceCode = code(input.code, 'service');
  const nameJa = name(input.nameJa, '--name-ja');
  const nameEn = name(input.nameEn, '--name-en');
  let url: string | null = null;
  if (input.settingsSiteUrl) {
    let u: URL;
    try { u = new URL(input.settingsSiteUrl); } catch { throw new PortalInputError(`--settings-site-url is not a URL: "${input.settingsSiteUrl}"`); }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new PortalInputError('--settings-site-url must be an https:// (or http://) URL');
    url = u.href;
  }
  const category = await findCategoryByCode(db, input.categoryCode.trim());
  if (!category) throw new PortalInputError(`no service category with code "${input.categoryCode}" (see 'bizportal service category-list')`);
  if (await findServiceByCode(db, serviceCode)) throw new PortalInputError(`a service with code "${serviceCode}" exists already`);
  const row: ServiceRow = { id: newId(), code: serviceCode, category_id: category.id, name_ja: nameJa, name_en: nameEn, settings_site_url: url, created_at: now };
  await insertService(db, row);
  return row;
}

export async function allCategories(db: Db): Promise<CategoryRow[]> {
  return listCategories(db);
}
