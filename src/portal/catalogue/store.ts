// Service categories and services (S7: «ご契約中のサービスから選ぶ», grouped by category). Kysely only.
import type { Db } from '../../db/index.ts';
import type { ServiceCategoryTable, ServiceTable } from '../../db/schema.ts';

export type CategoryRow = ServiceCategoryTable;
export type ServiceRow = ServiceTable;

export async function insertCategory(db: Db, row: CategoryRow): Promise<void> {
  await db.insertInto('service_category').values(row).execute();
}

export async function insertService(db: Db, row: ServiceRow): Promise<void> {
  await db.insertInto('service').values(row).execute();
}

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db.selectFrom('service_category').selectAll().orderBy('position').orderBy('code').execute();
}

export async function findCategoryByCode(db: Db, code: string): Promise<CategoryRow | undefined> {
  return db.selectFrom('service_category').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listServices(db: Db): Promise<(ServiceRow & { category_code: string; category_position: number })[]> {
  return db.selectFrom('service').innerJoin('service_category as c', 'c.id', 'service.category_id')
    .selectAll('service').select(['c.code as category_code', 'c.position as category_position'])
    .orderBy('c.position').orderBy('c.code').orderBy('service.code').execute();
}

export async function findServiceByCode(db: Db, code: string): Promise<ServiceRow | undefined> {
  return db.selectFrom('service').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findService(db: Db, id: string): Promise<ServiceRow | undefined> {
  if (id.length > 64) return undefined;
  return db.selectFrom('service').selectAll().where('id', '=', id).executeTakeFirst();
}
