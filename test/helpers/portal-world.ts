// A small portal world for the orders / notices / tickets tests, written straight into the tables
// (no service under test is used to build it): two organisations, two services, contracts, one
// group grant, orders, notices, a ticket. `sessionFor` gives a signed-in browser (aal2, terms
// accepted) for HTTP tests without walking the login (the login flows have their own tests).
import type { Db } from '../../src/db/index.ts';
import type { Role } from '../../src/db/schema.ts';
import type { AppContext } from '../../src/context.ts';
import { createSession } from '../../src/auth/sessions/store.ts';
import { acceptTerms } from '../../src/auth/terms/service.ts';
import type { TestApp } from './app.ts';
import { Browser } from './client.ts';
import { givenTerms } from './scenario.ts';

export const T0 = 1_800_000_000_000;
const DAY = 86_400_000;

async function org(db: Db, id: string) {
  await db.insertInto('organisation').values({ id, name: `Org ${id}`, kind: 'direct', parent_id: null, profile: 'business', trusted_browsers_enabled_at: null, mail_otp_disabled_at: null, created_at: T0 }).execute();
}
async function user(db: Db, id: string, orgId: string, role: Role, lang: 'ja' | 'en' = 'ja') {
  await db.insertInto('app_user').values({
    id, organisation_id: orgId, login_id: `${id}@example.com`, email: `${id}@example.com`, name: `User ${id}`, phone: '0312345678', role, lang,
    password_hash: null, password_set_at: null, second_factor: 'totp', security_epoch: 0, disabled_at: null, last_login_at: null, origin: 'portal', created_at: T0, updated_at: T0,
  }).execute();
}

/**
 * Org A: aAdmin (admin), aGen (general, group gA may view contract cA1 of service S1), aNone
 * (general, no group). Org B: bAdmin. Services S1 (Colocation), S2 (Voice). Contracts cA1 (A, S1),
 * cA2 (A, S2, granted to nobody), cB1 (B, S1 — and, wrongly, granted to gA: must still not show).
 */
export async function givenWorld(db: Db) {
  await org(db, 'A'); await org(db, 'B');
  await user(db, 'aAdmin', 'A', 'admin'); await user(db, 'aGen', 'A', 'general', 'en'); await user(db, 'aNone', 'A', 'general'); await user(db, 'bAdmin', 'B', 'admin');
  await db.insertInto('service_category').values({ id: 'cat', code: 'dc', name_ja: 'データセンター', name_en: 'Data centre', position: 1 }).execute();
  await db.insertInto('service').values([
    { id: 'S1', code: 'colo', category_id: 'cat', name_ja: 'コロケーション', name_en: 'Colocation', settings_site_url: null, created_at: T0 },
    { id: 'S2', code: 'voice', category_id: 'cat', name_ja: '秘密の音声サービス', name_en: 'Secret Voice', settings_site_url: null, created_at: T0 },
  ]).execute();
  const contract = (id: string, orgId: string, serviceId: string, n: string) => ({
    id, organisation_id: orgId, number: n, group_number: '', service_id: serviceId, site: '', memo: '', status: 'normal' as const, search_text: n.toLowerCase(), created_at: T0, updated_at: T0,
  });
  await db.insertInto('contract').values([contract('cA1', 'A', 'S1', 'N000000001'), contract('cA2', 'A', 'S2', 'N000000002'), contract('cB1', 'B', 'S1', 'N000000003')]).execute();
  await db.insertInto('user_group').values({ id: 'gA', organisation_id: 'A', name: 'Ops', created_at: T0 }).execute();
  await db.insertInto('user_group_member').values({ group_id: 'gA', user_id: 'aGen' }).execute();
  await db.insertInto('contract_group_access').values([{ group_id: 'gA', contract_id: 'cA1', granted_at: T0 }, { group_id: 'gA', contract_id: 'cB1', granted_at: T0 }]).execute();

  const order = (id: string, orgId: string, serviceId: string, contractId: string | null) => ({
    id, organisation_id: orgId, number: `O-${id}`, service_id: serviceId, contract_id: contractId, applied_at: T0 - 10 * DAY,
    planned_opening_date: '2027-02-01', status: 'in_progress' as const, opening_notice_ja: id === 'oA1' ? '開通のご案内です' : null, opening_notice_en: id === 'oA1' ? 'Your service opens soon' : null,
    created_at: T0, updated_at: T0,
  });
  await db.insertInto('service_order').values([order('oA1', 'A', 'S1', 'cA1'), order('oA2', 'A', 'S2', 'cA2'), order('oA3', 'A', 'S2', null), order('oB1', 'B', 'S1', 'cB1')]).execute();
  for (const o of ['oA1', 'oA2', 'oA3', 'oB1']) {
    await db.insertInto('service_order_step').values(['received', 'reviewing', 'constructing', 'opened'].map((code, i) => ({
      id: `${o}-${i}`, order_id: o, position: i, code, planned_date: code === 'opened' ? '2027-02-01' : null, done_at: i < 2 ? T0 - (10 - i) * DAY : null,
    }))).execute();
  }

  const notice = (id: string, serviceId: string | null, start: number, end: number | null, withdrawn: number | null = null) => ({
    id, kind: 'construction' as const, service_id: serviceId, title_ja: `工事 ${id}`, title_en: `Work ${id}`, body_ja: `本文 ${id}`, body_en: `Body ${id}`,
    starts_at: start, ends_at: end, published_at: T0 - DAY, withdrawn_at: withdrawn, created_at: T0 - DAY,
  });
  await db.insertInto('notice').values([
    notice('nAll', null, T0 - DAY, T0 + DAY), notice('nS1', 'S1', T0 - DAY, null), notice('nS2', 'S2', T0 - DAY, T0 + DAY),
    notice('nS1past', 'S1', T0 - 3 * DAY, T0 - 2 * DAY), notice('nS1gone', 'S1', T0 - DAY, T0 + DAY, T0 - 1), notice('nS1soon', 'S1', T0 + DAY, T0 + 2 * DAY),
  ]).execute();

  // A ticket of org A about the service S2 (contract cA2) that aGen may not see; one of org B.
  await db.insertInto('ticket').values([
    { id: 'tA', organisation_id: 'A', number: 'T000000001', category: 'service', service_id: 'S2', contract_id: 'cA2', subject: 'Voice trouble', status: 'open', author_user_id: 'aAdmin', created_at: T0, updated_at: T0, closed_at: null, severity: 'normal', assignee_user_id: null },
    { id: 'tB', organisation_id: 'B', number: 'T000000002', category: 'portal', service_id: null, contract_id: null, subject: 'B secret subject', status: 'open', author_user_id: 'bAdmin', created_at: T0, updated_at: T0, closed_at: null, severity: 'normal', assignee_user_id: null },
  ]).execute();
  await db.insertInto('ticket_message').values([
    { id: 'mA', ticket_id: 'tA', side: 'customer', author_user_id: 'aAdmin', author_name: 'User aAdmin', body: 'Calls drop', internal_at: null, created_at: T0 },
    { id: 'mB', ticket_id: 'tB', side: 'customer', author_user_id: 'bAdmin', author_name: 'User bAdmin', body: 'B secret body', internal_at: null, created_at: T0 },
    { id: 'mAint', ticket_id: 'tA', side: 'provider', author_user_id: null, author_name: 'Desk', body: 'INTERNAL NOTE', internal_at: T0, created_at: T0 + 1 },
  ]).execute();
  const file = (id: string, ticketId: string, messageId: string) => ({
    id, ticket_id: ticketId, message_id: messageId, filename: `${id}.txt`, content_type: 'text/plain; charset=utf-8', size: 5, sha256: '-', content_b64: Buffer.from(`${id}!!`).toString('base64'), created_at: T0,
  });
  await db.insertInto('ticket_attachment').values([file('fA', 'tA', 'mA'), file('fB', 'tB', 'mB'), file('fInt', 'tA', 'mAint')]).execute();
}

export const viewers = {
  aAdmin: { userId: 'aAdmin', organisationId: 'A', role: 'admin' as const },
  aGen: { userId: 'aGen', organisationId: 'A', role: 'general' as const },
  aNone: { userId: 'aNone', organisationId: 'A', role: 'general' as const },
  bAdmin: { userId: 'bAdmin', organisationId: 'B', role: 'admin' as const },
};

/** A browser signed in as `userId` with a full (aal2) session and the current terms accepted. */
export async function sessionFor(app: TestApp | { ctx: AppContext; url: string; config: TestApp['config'] }, userId: string, orgId: string): Promise<Browser> {
  const terms = await givenTermsOnce(app.ctx);
  await acceptTerms(app.ctx, userId, orgId, terms, true, '127.0.0.1');
  const token = await createSession(app.ctx.db, { userId, aal: 'aal2', skipReason: null, ip: '127.0.0.1', userAgent: 'test' },
    { idleMs: app.config.sessionIdleMs, absoluteMs: app.config.sessionAbsoluteMs }, app.ctx.now());
  const b = new Browser(app.url);
  await b.get('/login');
  b.jar.set('bp_session', token);
  return b;
}

const published = new WeakMap<object, string>();
async function givenTermsOnce(ctx: AppContext): Promise<string> {
  const have = published.get(ctx.db);
  if (have) return have;
  const v = await givenTerms(ctx);
  published.set(ctx.db, v.id);
  return v.id;
}
