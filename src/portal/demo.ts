// `bizportal demo` / `npm start -- --demo`: fills an EMPTY database with a living portal — one
// organisation, groups, an admin and general users (each gets a starting-guide link, like the
// first-start bootstrap: no default password, 2-step setup still required), services in five
// categories, ~200 contracts with group permissions, orders in every stage, notices, a scheduled
// maintenance window and tickets. Deterministic (a seeded generator), so screenshots repeat.
import type { AppContext } from '../context.ts';
import { newId } from '../lib/index.ts';
import { registerUser, DEFAULT_TERMS, currentTerms, publishTerms, countUsers, countOrganisations, createOrganisation, addOperator, ensureProviderOrganisation } from '../auth/service.ts';
import { addMembers, createGroup } from './groups/service.ts';
import { createCategory, createService, type ServiceRow } from './catalogue/service.ts';
import { createContract, grantContract, type ContractRow } from './contracts/service.ts';
import { PortalInputError } from './errors.ts';
import { insertNotice } from './notices/store.ts';

const DAY = 86_400_000;

const CATEGORIES = [
  { code: 'datacenter', nameJa: 'データセンター', nameEn: 'Data centre', position: 10 },
  { code: 'voice', nameJa: '音声・ビデオ・電話', nameEn: 'Voice, video and phone', position: 20 },
  { code: 'application', nameJa: 'アプリケーション', nameEn: 'Applications', position: 30 },
  { code: 'it-management', nameJa: 'ITマネジメント', nameEn: 'IT management', position: 40 },
  { code: 'security', nameJa: 'セキュリティ', nameEn: 'Security', position: 50 },
];
const SERVICES = [
  { code: 'nexcenter', categoryCode: 'datacenter', nameJa: 'Nexcenter', nameEn: 'Nexcenter', settings: false },
  { code: 'ip-voice', categoryCode: 'voice', nameJa: 'Arcstar IP Voice', nameEn: 'Arcstar IP Voice', settings: false },
  { code: 'smart-pbx', categoryCode: 'voice', nameJa: 'Arcstar Smart PBX', nameEn: 'Arcstar Smart PBX', settings: true },
  { code: 'contact-center', categoryCode: 'voice', nameJa: 'Arcstar Contact Center', nameEn: 'Arcstar Contact Center', settings: true },
  { code: 'daas', categoryCode: 'application', nameJa: 'Enterprise DaaS (S)', nameEn: 'Enterprise DaaS (S)', settings: false },
  { code: 'qoe-monitoring', categoryCode: 'it-management', nameJa: 'お客さま体感品質モニタリング', nameEn: 'Experience quality monitoring', settings: false },
  { code: 'managed-security', categoryCode: 'security', nameJa: 'WideAngle Managed Security', nameEn: 'WideAngle Managed Security', settings: true },
];
const SITES = ['東京本社', '大阪支店', '名古屋営業所', '福岡営業所', '札幌営業所', 'ﾃﾞｰﾀｾﾝﾀｰ 横浜', 'Singapore office'];
const MEMOS = ['営業部', '情報システム部', '総務部 代表番号', 'コールセンター', '本社 5F サーバ室', 'ｶﾅ入力のメモ', 'Test_line 100%', ''];
const STATUSES = ['normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'failure', 'maintenance', 'suspended'] as const;

/** A small deterministic generator (mulberry32) so the demo is the same every time. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Why the demo refuses this database, or null when it is empty. */
export async function demoRefusal(ctx: AppContext): Promise<string | null> {
  const users = await countUsers(ctx.db);
  const orgs = await countOrganisations(ctx.db);
  const contracts = Number((await ctx.db.selectFrom('contract').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  if (users || orgs || contracts) {
    return `the database is not empty (${orgs} organisation(s), ${users} user(s), ${contracts} contract(s)); the demo fills only an empty database`;
  }
  return null;
}

export interface DemoResult { users: { loginId: string; name: string; phone: string; role: string; setupUrl: string }[]; contracts: number }

export async function fillDemo(ctx: AppContext): Promise<DemoResult> {
  const refusal = await demoRefusal(ctx);
  if (refusal) throw new PortalInputError(refusal);
  const now = ctx.now();
  const rand = rng(17);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const actor = { userId: null, ip: 'demo' };
  if (!(await currentTerms(ctx.db))) await publishTerms(ctx, DEFAULT_TERMS, actor);

  const org = await createOrganisation(ctx.db, { name: 'デモ株式会社', kind: 'direct' }, now);
  const people = [
    { email: 'admin@demo.example', name: '管理者 花子', role: 'admin' as const, groups: [] as string[] },
    { email: 'sales@demo.example', name: '営業 一郎', role: 'general' as const, groups: ['営業部'] },
    { email: 'it@demo.example', name: '情報 次郎', role: 'general' as const, groups: ['情報システム部', '大阪支店'] },
  ];
  const users: DemoResult['users'] = [];
  const registered = [];
  for (const p of people) {
    const phone = `03${String(12345670 + users.length).padStart(8, '0')}`;
    const { user, setupUrl } = await registerUser(ctx, { organisationId: org.id, email: p.email, loginId: p.email, name: p.name, phone, role: p.role, lang: 'ja' }, actor);
    users.push({ loginId: user.login_id, name: user.name, phone, role: p.role, setupUrl });
    registered.push({ user, p });
  }
  const admin = { user: registered[0]!.user, ip: 'demo' };
  const groups = new Map<string, { id: string; organisation_id: string }>();
  for (const name of ['営業部', '情報システム部', '大阪支店']) groups.set(name, await createGroup(ctx, admin, org.id, name));
  for (const { user, p } of registered) await addMembers(ctx, admin, p.groups.map((g) => groups.get(g)!.id), user);

  for (const c of CATEGORIES) await createCategory(ctx.db, c, null);
  const services: ServiceRow[] = [];
  for (const s of SERVICES) {
    services.push(await createService(ctx.db, { ...s, settingsSiteUrl: s.settings ? `https://settings.example.net/${s.code}/` : null }, now, null));
  }

  const contracts: ContractRow[] = [];
  for (let i = 1; i <= 200; i++) {
    const site = pick(SITES);
    const memo = pick(MEMOS);
    const c = await createContract(ctx.db, {
      organisationId: org.id, number: `N${String(100_000_000 + i * 37).padStart(9, '0')}`, serviceCode: pick(SERVICES).code,
      groupNumber: rand() < 0.6 ? `G${String(Math.floor(rand() * 90_000) + 10_000)}` : '', site, memo, status: pick(STATUSES),
    }, now - Math.floor(rand() * 400) * DAY, null);
    contracts.push(c);
    // Permissions: the sales group sees the sales contracts, IT most others, Osaka its site's.
    if (memo === '営業部' || memo === 'コールセンター') await grantContract(ctx.db, groups.get('営業部')!, c, now);
    if (memo !== '営業部') await grantContract(ctx.db, groups.get('情報システム部')!, c, now);
    if (site === '大阪支店') await grantContract(ctx.db, groups.get('大阪支店')!, c, now);
  }

  // Orders, notices, maintenance and tickets are written by small insert helpers here: their own
  // services (issue 17, the operations half) are built on another branch. Same columns, same rules.
  const steps = ['received', 'reviewing', 'arranging', 'constructing', 'opened'];
  for (let i = 0; i < 12; i++) {
    const c = contracts[i * 7]!;
    const stage = i % steps.length; // every stage, twice or more
    const status = i === 11 ? 'cancelled' : stage === steps.length - 1 ? 'opened' : 'in_progress';
    const id = newId();
    const applied = now - (20 - i) * DAY;
    const planned = new Date(now + (i - 3) * 5 * DAY).toISOString().slice(0, 10);
    await ctx.db.insertInto('service_order').values({
      id, organisation_id: org.id, number: `R${String(2026_0000 + i + 1)}`, service_id: c.service_id, contract_id: c.id, applied_at: applied,
      planned_opening_date: planned, status, opening_notice_ja: status === 'opened' ? '開通しました。ご利用いただけます。' : null,
      opening_notice_en: status === 'opened' ? 'The service is open and ready to use.' : null, created_at: applied, updated_at: now,
    }).execute();
    await ctx.db.insertInto('service_order_step').values(steps.map((code, position) => ({
      id: newId(), order_id: id, position, code, planned_date: new Date(applied + position * 4 * DAY).toISOString().slice(0, 10),
      done_at: status !== 'cancelled' && position <= stage ? applied + position * 4 * DAY : null,
    }))).execute();
  }
  const svc = (code: string) => services.find((s) => s.code === code)!.id;
  const notice = (n: { kind: 'construction' | 'outage' | 'information'; serviceId: string | null; titleJa: string; titleEn: string; startsAt: number; endsAt: number | null }) =>
    insertNotice(ctx.db, {
      id: newId(), kind: n.kind, title_ja: n.titleJa, title_en: n.titleEn,
      body_ja: `${n.titleJa}。詳細は別途お知らせします。`, body_en: `${n.titleEn}. Details will follow.`,
      starts_at: n.startsAt, ends_at: n.endsAt, published_at: now - DAY, withdrawn_at: null, created_at: now - DAY, updated_at: null, status: 'confirmed',
    }, n.serviceId ? [n.serviceId] : []);
  await notice({ kind: 'outage', serviceId: svc('smart-pbx'), titleJa: '一部地域で着信できない事象が発生しています', titleEn: 'Incoming calls fail in some areas', startsAt: now - 2 * 3_600_000, endsAt: null });
  await notice({ kind: 'construction', serviceId: svc('nexcenter'), titleJa: '横浜データセンター 電源設備工事', titleEn: 'Yokohama data centre: power equipment work', startsAt: now - DAY, endsAt: now + 6 * DAY });
  await notice({ kind: 'information', serviceId: null, titleJa: 'ビジネスポータルの新しいダッシュボードを公開しました', titleEn: 'The new business portal dashboard is available', startsAt: now - 3 * DAY, endsAt: now + 30 * DAY });
  await ctx.db.insertInto('maintenance_window').values({
    id: newId(), announce_from: now - DAY, starts_at: now + 3 * DAY, ends_at: now + 3 * DAY + 2 * 3_600_000,
    message_ja: 'システムメンテナンスのため、この間はビジネスポータルをご利用いただけません。', message_en: 'The business portal is unavailable during system maintenance.',
    cancelled_at: null, created_at: now - DAY,
  }).execute();
  const author = registered[1]!.user;
  const tickets = [
    { subject: '内線が発信できない', status: 'open' as const, c: contracts[3]! },
    { subject: '請求書の宛名変更について', status: 'waiting_customer' as const, c: contracts[10]! },
    { subject: '回線速度が低下している', status: 'waiting_provider' as const, c: contracts[21]! },
    { subject: '設定変更サイトのログインについて', status: 'closed' as const, c: contracts[30]! },
  ];
  for (const [i, k] of tickets.entries()) {
    const id = newId();
    const at = now - (10 - i) * DAY;
    await ctx.db.insertInto('ticket').values({
      id, organisation_id: org.id, number: `T${String(5_000_001 + i)}`, category: 'service', service_id: k.c.service_id, contract_id: k.c.id,
      subject: k.subject, status: k.status, author_user_id: author.id, created_at: at, updated_at: at + DAY, closed_at: k.status === 'closed' ? at + DAY : null,
      severity: i === 2 ? 'high' : 'normal', assignee_user_id: null,
    }).execute();
    await ctx.db.insertInto('ticket_message').values({
      id: newId(), ticket_id: id, side: 'customer', author_user_id: author.id, author_name: author.name, body: `${k.subject}。ご確認をお願いします。`, internal_at: null, created_at: at,
    }).execute();
  }
  // The provider's side (issue 26): its organisation and one operator admin, who finds the tickets above in /operator.
  await ensureProviderOrganisation(ctx, 'デモ通信(提供者)', actor);
  const desk = { email: 'desk@demo.example', name: '窓口 一郎', phone: '0398765432' };
  const operator = await addOperator(ctx, { ...desk, role: 'operator_admin', loginId: desk.email, lang: 'ja' }, actor);
  users.push({ loginId: operator.user.login_id, name: desk.name, phone: desk.phone, role: 'operator_admin', setupUrl: operator.setupUrl });
  return { users, contracts: contracts.length };
}

/** The lines an operator reads after the demo: who can log in and how. */
export function demoReport(r: DemoResult, publicUrl: string): string[] {
  const lines = ['', `Demo portal: デモ株式会社 with ${r.contracts} contracts, orders, notices, a maintenance window and tickets.`];
  lines.push('Log in as one of these users: open the starting guide link, answer identity verification with the');
  lines.push('e-mail, name and phone below, set a password, then set up 2-step verification (as every user does):');
  for (const u of r.users) {
    const who = u.role === 'admin' ? 'portal admin' : u.role === 'operator_admin' ? 'operator (the provider\'s console, /operator)' : 'general user';
    lines.push(`  ${who}  ${u.loginId}   name: ${u.name}   phone: ${u.phone}`);
    lines.push(`    starting guide link: ${u.setupUrl}`);
  }
  lines.push(`The same links are in the outbox (${publicUrl}/dev/outbox in development).`);
  lines.push('sales@ sees the 営業部 contracts only; it@ the 情報システム部 and 大阪支店 ones; the admin sees all.', '');
  return lines;
}
