// Issue 24 item 2 on both databases, through the services the portal, the console and the worker
// share: a subscription narrows the maintenance mail by scope, impact and event and never widens the
// contract rule (a chosen contract the user lost is not mailed); technical contacts get one mail
// per address naming only their contracts, and an unsubscribe link that removes only that address;
// reminders are due before the start, at the start, at the end, once across concurrent workers,
// re-armed by a new period and stopped by a cancellation. The mails are read from the outbox.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { givenWorld, T0, viewers } from '../../../../test/helpers/portal-world.ts';
import type { AppContext } from '../../../context.ts';
import type { Db } from '../../../db/index.ts';
import { contractScope } from '../../access.ts';
import { changeNotice, changeNoticeStatus, publishNotice, type NoticeInput, type NoticeMailSetting } from '../service.ts';
import { saveSubscription, subscriptionKeeps, DEFAULT_SUBSCRIPTION } from '../subscriptions.ts';
import { addContact, contactOfUnsubscribeToken, unsubscribeContact, unsubscribeToken, MAX_CONTACTS_PER_CONTRACT } from '../contacts.ts';
import { dueReminders, sendDueReminders, REMINDER_LEAD_MS } from '../reminders.ts';

const HOUR = 3_600_000;
const OPS = { userId: null, ip: '192.0.2.1' };
const KEY = Buffer.alloc(32, 7);
const S: NoticeMailSetting = { publicUrl: 'https://portal.example.com', mailFrom: 'Portal <noreply@portal.example.com>', secretKey: KEY };
const notice = (o: Partial<NoticeInput> = {}): NoticeInput => ({
  kind: 'construction', serviceIds: [], titleJa: '工事', titleEn: 'Work', bodyJa: '本文', bodyEn: 'Body', startsAt: T0 + 48 * HOUR, endsAt: T0 + 50 * HOUR,
  contracts: [{ number: 'N000000001', impact: 'outage' }, { number: 'N000000002', impact: 'degraded' }, { number: 'N000000003', impact: 'none' }], ...o,
});
const ctxOf = (db: Db, now = T0) => ({ db, now: () => now }) as unknown as AppContext;
const admin = (id: 'aAdmin' | 'bAdmin') => ({ user: { id, role: 'admin' as const, organisation_id: id === 'aAdmin' ? 'A' : 'B' }, ip: '192.0.2.9' });

/** The maintenance mails queued since `since`: recipient → contract numbers named in the body. */
async function mails(db: Db, kind: 'maintenance_notice' | 'maintenance_reminder', since = 0) {
  const rows = await db.selectFrom('mail_outbox').select(['to_addr', 'body_text', 'attachment_b64', 'created_at']).where('kind', '=', kind).where('created_at', '>=', since).execute();
  const out: Record<string, string[][]> = {};
  for (const r of rows) {
    const numbers = ['N000000001', 'N000000002', 'N000000003'].filter((n) => r.body_text.includes(n));
    const ics = Buffer.from(r.attachment_b64 ?? '', 'base64').toString('utf8');
    assert.deepEqual(['N000000001', 'N000000002', 'N000000003'].filter((n) => ics.includes(`X-MAINTNOTE-OBJECT-ID:${n}`)), numbers, `${r.to_addr}: the .ics names the same contracts`);
    (out[r.to_addr] ??= []).push(numbers);
  }
  return out;
}

for (const dialect of testDialects()) {
  describe(`${dialect}: maintenance-mail subscriptions`, () => {
    it('default, scope, impact and event filters; a lost contract is never mailed; only visible choices are accepted', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      // The default keeps today's behaviour: every visible affected contract, to every user who sees one.
      await publishNotice(db, notice(), OPS, T0, S);
      assert.deepEqual(await mails(db, 'maintenance_notice'), {
        'aAdmin@example.com': [['N000000001', 'N000000002']], 'aGen@example.com': [['N000000001']], 'bAdmin@example.com': [['N000000003']],
      });

      const scope = (who: keyof typeof viewers) => contractScope(db, viewers[who]);
      // Only what the user may see is accepted, each error on its field.
      await assert.rejects(saveSubscription(db, await scope('aGen'), { scope: 'contracts', minImpact: 'none', events: ['published'], serviceIds: [], contractIds: ['cA2'] }, 'ip', T0),
        (e: { fields: Record<string, unknown> }) => Object.keys(e.fields).join() === 'contracts');
      await assert.rejects(saveSubscription(db, await scope('aGen'), { scope: 'services', minImpact: 'none', events: [], serviceIds: ['S2'], contractIds: [] }, 'ip', T0),
        (e: { fields: Record<string, unknown> }) => Object.keys(e.fields).join() === 'services');
      await assert.rejects(saveSubscription(db, await scope('aGen'), { scope: 'everything', minImpact: 'worst', events: ['gossip'], serviceIds: [], contractIds: [] }, 'ip', T0),
        (e: { fields: Record<string, unknown> }) => Object.keys(e.fields).sort().join() === 'events,minImpact,scope');
      await assert.rejects(saveSubscription(db, await scope('aAdmin'), { scope: 'contracts', minImpact: 'none', events: ['published'], serviceIds: [], contractIds: [] }, 'ip', T0),
        (e: { fields: Record<string, unknown> }) => Object.keys(e.fields).join() === 'contracts');

      await saveSubscription(db, await scope('aAdmin'), { scope: 'contracts', minImpact: 'none', events: ['published', 'changes'], serviceIds: [], contractIds: ['cA2'] }, 'ip', T0);
      await saveSubscription(db, await scope('bAdmin'), { scope: 'all', minImpact: 'degraded', events: ['published', 'changes'], serviceIds: [], contractIds: [] }, 'ip', T0);
      await saveSubscription(db, await scope('aGen'), { scope: 'contracts', minImpact: 'none', events: ['published', 'changes', 'reminders'], serviceIds: [], contractIds: ['cA1'] }, 'ip', T0);
      // aGen loses the group that let them see cA1: the subscription still names it, the mail does not.
      await db.deleteFrom('user_group_member').where('user_id', '=', 'aGen').execute();
      const t1 = T0 + 1;
      await publishNotice(db, notice(), OPS, t1, S);
      assert.deepEqual(await mails(db, 'maintenance_notice', t1), { 'aAdmin@example.com': [['N000000002']] },
        'aAdmin: the chosen contract only; bAdmin: N000000003 has no impact, below degraded; aGen: lost access');

      // Services scope and the events filter: aAdmin chooses S1 and only changes.
      await saveSubscription(db, await scope('aAdmin'), { scope: 'services', minImpact: 'none', events: ['changes'], serviceIds: ['S1'], contractIds: [] }, 'ip', T0);
      const t2 = T0 + 2;
      const n = await publishNotice(db, notice(), OPS, t2, S);
      assert.deepEqual(await mails(db, 'maintenance_notice', t2), {}, 'nobody wants this publication');
      const t3 = T0 + 3;
      await changeNoticeStatus(db, n.id, 'cancelled', OPS, t3, S);
      assert.deepEqual(await mails(db, 'maintenance_notice', t3), { 'aAdmin@example.com': [['N000000001']] }, 'a cancellation is a change');
      await saveSubscription(db, await scope('aAdmin'), { scope: 'none', minImpact: 'none', events: ['published', 'changes', 'reminders'], serviceIds: [], contractIds: [] }, 'ip', T0);
      const t4 = T0 + 4;
      await publishNotice(db, notice(), OPS, t4, S);
      assert.equal((await mails(db, 'maintenance_notice', t4))['aAdmin@example.com'], undefined, 'scope none: nothing');
      const audit = await db.selectFrom('audit_log').select('event').where('event', '=', 'notice.subscription_changed').execute();
      assert.equal(audit.length, 5, 'each saved subscription, no refused one');
    });

    it('the impact order of the filter', () => {
      const a = (impact: 'outage' | 'degraded' | 'reduced_redundancy' | 'none') => ({ contract_id: 'c', service_id: 's', impact });
      const keeps = (min: 'outage' | 'degraded' | 'reduced_redundancy' | 'none') => (['outage', 'degraded', 'reduced_redundancy', 'none'] as const).filter((i) => subscriptionKeeps({ ...DEFAULT_SUBSCRIPTION, minImpact: min }, a(i)));
      assert.deepEqual(keeps('outage'), ['outage']);
      assert.deepEqual(keeps('degraded'), ['outage', 'degraded']);
      assert.deepEqual(keeps('reduced_redundancy'), ['outage', 'degraded', 'reduced_redundancy']);
      assert.deepEqual(keeps('none'), ['outage', 'degraded', 'reduced_redundancy', 'none']);
    });

    it('technical contacts: their contracts only, one mail per address, a single-purpose unsubscribe link', async (t) => {
      const db = (await freshDb(dialect, t)).db;
      await givenWorld(db);
      const ctx = ctxOf(db);
      await addContact(ctx, admin('aAdmin'), undefined, { number: 'N000000001', name: 'NOC A', email: 'noc@a.example' });
      await addContact(ctx, admin('aAdmin'), 'A', { number: 'N000000002', name: 'NOC A', email: 'noc@A.EXAMPLE' });
      const { contact: other } = await addContact(ctx, admin('aAdmin'), undefined, { number: 'N000000002', name: 'Voice team', email: 'voice@a.example' });
      const { contact: b } = await addContact(ctx, admin('bAdmin'), undefined, { number: 'N000000003', name: 'NOC B', email: 'noc@b.example' });
      // Refusals: another organisation's contract, another organisation, a bad address, a duplicate, too many.
      await assert.rejects(addContact(ctx, admin('bAdmin'), undefined, { number: 'N000000001', name: 'x', email: 'x@b.example' }), (e: { fields: Record<string, unknown> }) => 'number' in e.fields);
      await assert.rejects(addContact(ctx, admin('bAdmin'), 'A', { number: 'N000000001', name: 'x', email: 'x@b.example' }), { code: 'common.forbidden' });
      await assert.rejects(addContact(ctx, admin('aAdmin'), undefined, { number: 'N000000001', name: 'x', email: 'a@b(c)d.example' }), (e: { fields: Record<string, unknown> }) => 'email' in e.fields);
      await assert.rejects(addContact(ctx, admin('aAdmin'), undefined, { number: 'N000000001', name: 'x', email: 'noc@a.example' }), (e: { fields: Record<string, { key: string }[]> }) => e.fields.email?.[0]?.key === 'contacts.duplicate');
      for (let i = 0; i < MAX_CONTACTS_PER_CONTRACT - 1; i++) await addContact(ctx, admin('bAdmin'), undefined, { number: 'N000000003', name: `n${i}`, email: `n${i}@b.example` });
      await assert.rejects(addContact(ctx, admin('bAdmin'), undefined, { number: 'N000000003', name: 'one more', email: 'more@b.example' }), (e: { fields: Record<string, { key: string }[]> }) => e.fields.number?.[0]?.key === 'contacts.too_many');
      assert.equal((await db.selectFrom('audit_log').select('event').where('event', '=', 'contact.added').execute()).length, 4 + MAX_CONTACTS_PER_CONTRACT - 1);

      await publishNotice(db, notice(), OPS, T0, S);
      const got = await mails(db, 'maintenance_notice');
      assert.deepEqual(got['noc@a.example'], [['N000000001', 'N000000002']], 'one mail listing both of its contracts');
      assert.deepEqual(got['voice@a.example'], [['N000000002']]);
      assert.deepEqual(got['noc@b.example'], [['N000000003']]);
      const body = (await db.selectFrom('mail_outbox').select('body_text').where('to_addr', '=', 'noc@a.example').executeTakeFirstOrThrow()).body_text;
      assert.ok(!body.includes('/portal/notices/'), 'no portal link for someone who cannot sign in');
      const link = /\/notices\/unsubscribe\/(\S+)/.exec(body)![1]!;

      // Forged and other-purpose tokens open nothing; the link removes only that address of that organisation.
      const forged = link.slice(0, -1) + (link.endsWith('0') ? '1' : '0');
      assert.equal(await contactOfUnsubscribeToken(db, KEY, forged), null);
      assert.equal(await unsubscribeContact(db, KEY, forged, 'ip', T0), false);
      assert.equal(await unsubscribeContact(db, Buffer.alloc(32, 8), link, 'ip', T0), false, 'another key');
      assert.equal(await unsubscribeContact(db, KEY, link, 'ip', T0), true);
      assert.equal(await unsubscribeContact(db, KEY, link, 'ip', T0), false, 'once');
      const left = await db.selectFrom('contract_contact').select(['email']).where('organisation_id', '=', 'A').execute();
      assert.deepEqual(left.map((r) => r.email), ['voice@a.example']);
      assert.ok(await contactOfUnsubscribeToken(db, KEY, unsubscribeToken(KEY, other.id)));
      assert.ok(await contactOfUnsubscribeToken(db, KEY, unsubscribeToken(KEY, b.id)));
      const t1 = T0 + 1;
      await publishNotice(db, notice(), OPS, t1, S);
      assert.equal((await mails(db, 'maintenance_notice', t1))['noc@a.example'], undefined, 'no mail after unsubscribing');
    });

    it('reminders: before, start, end; once across concurrent workers; re-armed by a new period; none after cancellation', async (t) => {
      const h = await freshDb(dialect, t);
      const db = h.db;
      await givenWorld(db);
      await addContact(ctxOf(db), admin('aAdmin'), undefined, { number: 'N000000001', name: 'NOC A', email: 'noc@a.example' });
      const n = await publishNotice(db, notice(), OPS, T0, S);
      assert.deepEqual(await sendDueReminders(db, S, T0 + HOUR), [], 'nothing due yet');

      // 24 hours before the start: three workers poll at once; one of them sends it.
      const before = T0 + 48 * HOUR - REMINDER_LEAD_MS;
      const runs = await Promise.all([1, 2, 3].map(() => sendDueReminders(db, S, before + 60_000)));
      assert.deepEqual(runs.flat().map((r) => r.moment), ['before']);
      assert.deepEqual(await mails(db, 'maintenance_reminder'), {
        'aAdmin@example.com': [['N000000001', 'N000000002']], 'aGen@example.com': [['N000000001']], 'bAdmin@example.com': [['N000000003']], 'noc@a.example': [['N000000001']],
      });
      assert.deepEqual(await sendDueReminders(db, S, before + 120_000), [], 'sent once');

      // aGen wants no reminders.
      await saveSubscription(db, await contractScope(db, viewers.aGen), { scope: 'all', minImpact: 'none', events: ['published', 'changes'], serviceIds: [], contractIds: [] }, 'ip', T0);
      const start = T0 + 48 * HOUR;
      const atStart = await Promise.all([1, 2].map(() => sendDueReminders(db, S, start)));
      assert.deepEqual(atStart.flat().map((r) => r.moment), ['start']);
      assert.equal((await mails(db, 'maintenance_reminder', start))['aGen@example.com'], undefined);

      // The period moves by a day: the reminders follow (new due times), and a change mail goes out.
      const moved = start + 10 * 60_000;
      await changeNotice(db, n.id, notice({ startsAt: T0 + 72 * HOUR, endsAt: T0 + 74 * HOUR }), OPS, moved, S);
      assert.ok((await mails(db, 'maintenance_notice', moved))['aAdmin@example.com'], 'the change is mailed');
      assert.deepEqual((await sendDueReminders(db, S, T0 + 50 * HOUR)).map((r) => r.moment), ['before'], 'the old end passes without a reminder; the new «before» (due at the move) is sent');
      assert.deepEqual((await sendDueReminders(db, S, T0 + 72 * HOUR)).map((r) => r.moment), ['start'], 're-armed start');
      await changeNoticeStatus(db, n.id, 'cancelled', OPS, T0 + 73 * HOUR, S);
      assert.deepEqual(await sendDueReminders(db, S, T0 + 74 * HOUR), [], 'cancelled: no end reminder');
      const rows = await db.selectFrom('notice_reminder').select(['moment', 'due_at']).where('notice_id', '=', n.id).orderBy('due_at').orderBy('moment').execute();
      assert.deepEqual(rows.map((r) => [r.moment, Number(r.due_at)]), [['before', T0 + 24 * HOUR], ['before', T0 + 48 * HOUR], ['start', T0 + 48 * HOUR], ['start', T0 + 72 * HOUR]]);
    });

    it('due times: not before publication, not later than the grace, no end for an open end', () => {
      const n = { starts_at: T0 + 2 * HOUR, ends_at: null, published_at: T0, status: 'confirmed' as const, withdrawn_at: null };
      assert.deepEqual(dueReminders(n, T0 + 2 * HOUR), [{ moment: 'start', dueAt: T0 + 2 * HOUR }], 'published 2 h ahead: no «24 h before»');
      assert.deepEqual(dueReminders(n, T0 + 20 * HOUR), [], 'too late');
      assert.deepEqual(dueReminders({ ...n, status: 'cancelled' }, T0 + 2 * HOUR), []);
    });
  });
}
