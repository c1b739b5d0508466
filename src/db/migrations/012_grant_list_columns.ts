// Issue 17, "Scale and speed": a general user's contract list, capped count and services read the
// grant table alone. contract_group_access carries a copy of what the list needs from the contract
// (organisation, service, status, number), so a user's page is an index walk of
// (group_id, number, contract_id) and the services an index probe of (group_id, service_id), with
// no heap reads of `contract` (docs/performance.md, "The contract list at a million contracts").
// The copy is kept by the database itself, so no writer can forget it: a grant inserted without
// the columns gets them from its contract in the same statement, and a change of a contract's
// organisation, service, status or number is written to its grants in the same statement.
// Nullable because SQLite fills them after the insert; the triggers leave none null.
import { sql, type Kysely } from 'kysely';
import { isPostgresHandle } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  for (const col of ['organisation_id', 'service_id', 'status', 'number']) {
    await db.schema.alterTable('contract_group_access').addColumn(col, 'text').execute();
  }
  // Back-fill the grants that exist.
  await sql`update contract_group_access set
      organisation_id = (select c.organisation_id from contract c where c.id = contract_group_access.contract_id),
      service_id = (select c.service_id from contract c where c.id = contract_group_access.contract_id),
      status = (select c.status from contract c where c.id = contract_group_access.contract_id),
      number = (select c.number from contract c where c.id = contract_group_access.contract_id)`.execute(db);
  // (group_id, number, contract_id) walks a page in list order, (group_id, service_id) finds a
  // user's services; organisation_id rides along so the rule's own-organisation check needs no heap
  // read (an index-only scan for the capped count: measured at 200,000 contracts it read ~2,300 heap pages without it).
  await db.schema.createIndex('contract_group_access_list_idx').on('contract_group_access').columns(['group_id', 'number', 'contract_id', 'organisation_id']).execute();
  await db.schema.createIndex('contract_group_access_service_idx').on('contract_group_access').columns(['group_id', 'service_id', 'organisation_id']).execute();

  if (isPostgresHandle(db)) {
    await sql`create function contract_group_access_fill() returns trigger language plpgsql as $$
      begin
        select c.organisation_id, c.service_id, c.status, c.number
          into new.organisation_id, new.service_id, new.status, new.number
          from contract c where c.id = new.contract_id;
        return new;
      end $$`.execute(db);
    await sql`create trigger contract_group_access_fill before insert on contract_group_access
      for each row when (new.number is null or new.organisation_id is null or new.service_id is null or new.status is null)
      execute function contract_group_access_fill()`.execute(db);
    await sql`create function contract_grant_columns_sync() returns trigger language plpgsql as $$
      begin
        update contract_group_access set organisation_id = new.organisation_id, service_id = new.service_id,
          status = new.status, number = new.number where contract_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger contract_grant_columns_sync after update of organisation_id, service_id, status, number on contract
      for each row when (old.organisation_id is distinct from new.organisation_id or old.service_id is distinct from new.service_id
        or old.status is distinct from new.status or old.number is distinct from new.number)
      execute function contract_grant_columns_sync()`.execute(db);
  } else {
    await sql`create trigger contract_group_access_fill after insert on contract_group_access
      when new.number is null or new.organisation_id is null or new.service_id is null or new.status is null
      begin
        update contract_group_access set (organisation_id, service_id, status, number) =
          (select c.organisation_id, c.service_id, c.status, c.number from contract c where c.id = new.contract_id)
          where group_id = new.group_id and contract_id = new.contract_id;
      end`.execute(db);
    await sql`create trigger contract_grant_columns_sync after update of organisation_id, service_id, status, number on contract
      begin
        update contract_group_access set organisation_id = new.organisation_id, service_id = new.service_id,
          status = new.status, number = new.number where contract_id = new.id;
      end`.execute(db);
  }
}
