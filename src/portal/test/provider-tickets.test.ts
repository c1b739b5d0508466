// The provider's side of tickets (issue 26 item 2), at the service level on both databases: the
// inbox's filters and order, assignment (operators only), severity, internal notes (no status or
// clock change), reply / ask / resolve (status, one mail each), close and reopen with their guards,
// and two operators resolving the same ticket at once (one wins; the guarded status write decides).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/helpers/db.ts';
import { startTestApp } from '../../../test/helpers/app.ts';
import { givenWorld, T0 } from '../../../test/helpers/portal-world.ts';
import { addOperator, ensureProviderOrganisation, setOperatorRole } from '../../auth/service.ts';
import type { OperatorActor } from '../../audit/log.ts';
import {
  addNote, answerTicket, assignTicket, closeAsProvider, consoleTicket, inbox, inboxCounts, reopenAsProvider, setSeverity,
} from '../tickets/provider-service.ts';
import { ticketFor } from '../tickets/service.ts';
import { contractScope } from '../access.ts';

const HOUR = 3_600_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: provider ticket service`, () => {
    it('filters, assignment, severity, notes, answers, close and reopen', async (t) => {
      const app = await startTestApp(dialect, t);
      const { ctx } = app;
      app.clock.now = T0 + 10 * HOUR;
      await givenWorld(ctx.db);
      const sys = { userId: null, ip: 'test' };
      await ensureProviderOrganisation(ctx, 'Provider', sys);
      const agent = (await addOperator(ctx, { email: 'agent@p.example', name: 'Agent', role: 'agent' }, sys)).user;
      const other = (await addOperator(ctx, { email: 'other@p.example', name: 'Other', role: 'operator_admin' }, sys)).user;
      const actor: OperatorActor = { userId: agent.id, ip: '127.0.0.1', sessionId: 's', organisationId: agent.organisation_id };
      const ids = (r: { tickets: { id: string }[] }) => r.tickets.map((k) => k.id).sort();

      // tA (org A, service S2) and tB (org B) are open since T0.
      assert.deepEqual(ids(await inbox(ctx.db, { status: 'waiting' }, 1)), ['tA', 'tB']);
      assert.deepEqual(ids(await inbox(ctx.db, { orgId: 'A' }, 1)), ['tA']);
      assert.deepEqual(ids(await inbox(ctx.db, { serviceId: 'S2' }, 1)), ['tA']);
      assert.deepEqual(ids(await inbox(ctx.db, { changedBefore: T0 + 1 }, 1)), ['tA', 'tB']);
      assert.deepEqual(ids(await inbox(ctx.db, { changedBefore: T0 }, 1)), []);

      await assignTicket(ctx, actor, 'tA', agent.id);
      await setSeverity(ctx, actor, 'tB', 'critical');
      assert.deepEqual(ids(await inbox(ctx.db, { assignee: agent.id }, 1)), ['tA']);
      assert.deepEqual(ids(await inbox(ctx.db, { assignee: 'none' }, 1)), ['tB']);
      assert.deepEqual(ids(await inbox(ctx.db, { severity: 'critical' }, 1)), ['tB']);
      assert.deepEqual(await inboxCounts(ctx.db, agent.id), { waiting: 2, mine: 1, unassigned: 1 });
      const row = (await inbox(ctx.db, { orgId: 'A' }, 1)).tickets[0]!;
      assert.equal(row.organisation.name, 'Org A');
      assert.equal(row.assignee?.name, 'Agent');
      assert.equal(row.updatedAt, T0, 'assignment is no status change: the waiting clock stays');

      // Only an enabled operator of the provider organisation is an assignee.
      await assert.rejects(assignTicket(ctx, actor, 'tA', 'aAdmin'), (e: { fields?: object }) => 'assignee' in (e.fields ?? {}));
      await setOperatorRole(ctx, other.id, null, sys);
      await assert.rejects(assignTicket(ctx, actor, 'tA', other.id), (e: { fields?: object }) => 'assignee' in (e.fields ?? {}));
      await assert.rejects(setSeverity(ctx, actor, 'tA', 'urgent'), (e: { fields?: object }) => 'severity' in (e.fields ?? {}));
      await assert.rejects(assignTicket(ctx, actor, 'nope', null), /common\.not_found/);

      // A note: in the console's conversation, not in the customer's; status and clock unchanged.
      app.clock.advance(HOUR);
      await addNote(ctx, actor, 'tA', { userId: agent.id, name: 'Agent' }, 'between us');
      const console1 = await consoleTicket(ctx.db, 'tA');
      assert.equal(console1.status, 'open');
      assert.equal(console1.updatedAt, T0);
      assert.deepEqual(console1.messages.map((m) => [m.body, m.internal]), [['Calls drop', false], ['INTERNAL NOTE', true], ['between us', true]]);
      const scopeA = await contractScope(ctx.db, { userId: 'aAdmin', organisationId: 'A', role: 'admin' });
      assert.deepEqual((await ticketFor(ctx.db, scopeA, 'tA')).messages.map((m) => m.body), ['Calls drop']);

      // Answers: status, one mail to the author each, in their language.
      const r1 = await answerTicket(ctx, actor, 'tA', { author: { userId: agent.id, name: 'Agent' }, body: 'Which line?', mode: 'ask' });
      assert.equal(r1.ticket.status, 'waiting_customer');
      assert.ok(r1.mailId);
      assert.deepEqual(ids(await inbox(ctx.db, { status: 'waiting' }, 1)), ['tB'], 'waiting for the customer is not the provider\'s turn');
      const r2 = await answerTicket(ctx, actor, 'tA', { author: { userId: agent.id, name: 'Agent' }, body: 'Fixed.', mode: 'resolve' });
      assert.equal(r2.ticket.status, 'closed');
      const mails = await ctx.db.selectFrom('mail_outbox').select(['to_addr', 'subject', 'body_text']).where('kind', '=', 'ticket_reply').orderBy('created_at').execute();
      assert.deepEqual(mails.map((m) => m.to_addr), ['aAdmin@example.com', 'aAdmin@example.com']);
      assert.match(mails[0]!.subject, /情報のご提供のお願い/);
      assert.match(mails[1]!.subject, /解決/);
      assert.ok(mails.every((m) => !m.body_text.includes('between us') && !m.body_text.includes('INTERNAL NOTE')));

      await assert.rejects(answerTicket(ctx, actor, 'tA', { author: { userId: null, name: 'X' }, body: 'again', mode: 'reply' }), /tickets\.closed/);
      await assert.rejects(closeAsProvider(ctx, actor, 'tA'), /tickets\.already_closed/);
      await reopenAsProvider(ctx, actor, 'tA');
      await assert.rejects(reopenAsProvider(ctx, actor, 'tA'), /tickets\.not_closed/);
      assert.equal((await consoleTicket(ctx.db, 'tA')).status, 'waiting_provider');
      await closeAsProvider(ctx, actor, 'tA');
      assert.deepEqual(ids(await inbox(ctx.db, { status: 'closed' }, 1)), ['tA']);

      const events = await ctx.db.selectFrom('audit_log').select(['event', 'actor_user_id']).where('event', 'like', 'ticket.%').orderBy('at').orderBy('id').execute();
      assert.deepEqual(new Set(events.map((e) => e.event)), new Set(['ticket.assigned', 'ticket.severity_changed', 'ticket.note_added', 'ticket.info_requested', 'ticket.resolved', 'ticket.reopened', 'ticket.closed']));
      assert.ok(events.every((e) => e.actor_user_id === agent.id));
    });

    it('two operators resolve the same ticket at once: one answer, one refusal, one mail', async (t) => {
      const app = await startTestApp(dialect, t);
      const { ctx } = app;
      await givenWorld(ctx.db);
      const sys = { userId: null, ip: 'test' };
      await ensureProviderOrganisation(ctx, 'Provider', sys);
      const a = (await addOperator(ctx, { email: 'a@p.example', name: 'A', role: 'agent' }, sys)).user;
      const b = (await addOperator(ctx, { email: 'b@p.example', name: 'B', role: 'agent' }, sys)).user;
      const as = (u: typeof a): OperatorActor => ({ userId: u.id, ip: 'x', organisationId: u.organisation_id });
      const results = await Promise.allSettled([a, b].map((u) => answerTicket(ctx, as(u), 'tB', { author: { userId: u.id, name: u.name }, body: `done by ${u.name}`, mode: 'resolve' })));
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const messages = (await consoleTicket(ctx.db, 'tB')).messages.filter((m) => m.side === 'provider');
      assert.equal(messages.length, 1);
      const mails = await ctx.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'ticket_reply').execute();
      assert.equal(mails.length, 1);
    });
  });
}
