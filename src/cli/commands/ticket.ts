// `ticket list`, `ticket reply|assign|note --provider` (S9): the provider's side, through the same
// service as the console (src/portal/tickets/provider-service.ts, issue 26).
import { readFileSync } from 'node:fs';
import type { TicketStatus } from '../../db/schema.ts';
import { MAX_BODY, operatorTickets, STATUSES } from '../../portal/tickets/service.ts';
import { addNote, ANSWER_MODES, answerTicket, assignTicket, ticketIdByNumber, type AnswerMode } from '../../portal/tickets/provider-service.ts';
import { findOperator, findPublicUserByLoginId } from '../../auth/service.ts';
import type { OperatorActor } from '../../audit/log.ts';
import { CliFailure } from '../command.ts';

/** The CLI acts as no user; the audit row says so (via: cli). */
const CLI_OPERATOR: OperatorActor = { userId: null, ip: 'cli' };
import { intInRange, oneOf, optional, required } from '../args.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { localTime } from '../time.ts';

function bodyOf(values: ParsedValues): string {
  const text = optional(values, 'body');
  const file = optional(values, 'body-file');
  if ((text === undefined) === (file === undefined)) throw new UsageError('give exactly one of --body and --body-file');
  let body = text ?? '';
  if (file !== undefined) {
    try { body = readFileSync(file, 'utf8').replace(/^\uFEFF/, ''); } catch (err) {
      throw new UsageError(`cannot read --body-file "${file}" (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  if (!body.trim()) throw new UsageError('the reply must not be empty');
  if (body.length > MAX_BODY) throw new UsageError(`the reply must be at most ${MAX_BODY} characters`);
  return body;
}

export const ticketListCommand: Command = {
  path: ['ticket', 'list'],
  summary: 'list tickets, most recently updated first',
  synopsis: '[--org ID] [--status STATUS] [--limit N]',
  help: ['--org ID          only this organisation\'s', `--status STATUS   ${STATUSES.join(', ')}`, '--limit N         at most N rows (default 50)'],
  options: { org: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
  prepare(values) {
    const org = optional(values, 'org')?.trim();
    const status = oneOf<TicketStatus>(values, 'status', STATUSES);
    const limit = intInRange(values, 'limit', 50, 1, 1000);
    return async (ctx, io) => {
      const rows = await operatorTickets(ctx.db, { ...(org ? { orgId: org } : {}), ...(status ? { status } : {}), limit });
      if (!rows.length) { io.out('no tickets'); return; }
      table(io, ['NUMBER', 'ORG', 'CATEGORY', 'SERVICE', 'STATUS', 'UPDATED', 'SUBJECT'],
        rows.map((k) => [k.number, k.organisation_id, k.category, k.service_code ?? '-', k.status, localTime(k.updated_at), k.subject.replace(/[\r\n\t]+/g, ' ').slice(0, 60)]));
    };
  },
};

export const ticketReplyCommand: Command = {
  path: ['ticket', 'reply'],
  summary: 'answer a ticket as the provider; mails its author (outbox)',
  synopsis: '--provider --ticket NUMBER --name NAME (--body TEXT | --body-file F) [--mode reply|ask|resolve]',
  help: [
    '--provider        required: the reply is the provider\'s (customers reply in the portal)',
    '--ticket NUMBER   the ticket number (T + 9 digits, see \'bizportal ticket list\')',
    '--name NAME       the name shown as the reply\'s author, e.g. "Support desk"',
    '--body TEXT       the reply, or --body-file F (UTF-8)',
    '--mode MODE       reply (default), ask (ask for information) or resolve (the ticket is closed)',
    'The ticket then waits for the customer (or is closed); its author gets a mail with a link (not the text).',
  ],
  options: { provider: { type: 'boolean' }, ticket: { type: 'string' }, name: { type: 'string' }, body: { type: 'string' }, 'body-file': { type: 'string' }, mode: { type: 'string' } },
  prepare(values) {
    if (values.provider !== true) throw new UsageError('only provider replies are made from the CLI: add --provider');
    const ticketNumber = required(values, 'ticket').trim();
    const name = required(values, 'name').trim();
    if (name.length > 100) throw new UsageError('--name must be at most 100 characters');
    const body = bodyOf(values);
    const mode = oneOf<AnswerMode>(values, 'mode', ANSWER_MODES) ?? 'reply';
    return async (ctx, io) => {
      const id = await ticketIdByNumber(ctx.db, ticketNumber);
      const r = await answerTicket(ctx, CLI_OPERATOR, id, { author: { userId: null, name }, body, mode });
      const did = mode === 'ask' ? 'asked for information' : mode === 'resolve' ? 'resolved (closed)' : 'replied';
      io.out(`${r.ticket.number}: ${did}${r.mailId ? `; mail ${r.mailId} queued to the author` : '; the author is disabled, no mail'}`);
    };
  },
};

export const ticketAssignCommand: Command = {
  path: ['ticket', 'assign'],
  summary: 'assign a ticket to an operator, or to no one (the provider\'s inbox)',
  synopsis: '--provider --ticket NUMBER --to LOGIN_ID|none',
  help: [
    '--provider        required: assignment is the provider\'s',
    '--ticket NUMBER   the ticket number',
    '--to LOGIN_ID     an operator\'s login ID (see \'bizportal operator list\'), or none',
    'The customer sees nothing of it.',
  ],
  options: { provider: { type: 'boolean' }, ticket: { type: 'string' }, to: { type: 'string' } },
  prepare(values) {
    if (values.provider !== true) throw new UsageError('add --provider');
    const ticketNumber = required(values, 'ticket').trim();
    const to = required(values, 'to').trim();
    return async (ctx, io) => {
      const id = await ticketIdByNumber(ctx.db, ticketNumber);
      let assignee: string | null = null;
      if (to !== 'none') {
        const u = await findPublicUserByLoginId(ctx.db, to);
        if (!u || !(await findOperator(ctx.db, u.id))) throw new CliFailure(`"${to}" is not an operator (see 'bizportal operator list')`);
        assignee = u.id;
      }
      await assignTicket(ctx, CLI_OPERATOR, id, assignee);
      io.out(`${ticketNumber}: ${assignee ? `assigned to ${to}` : 'not assigned'}`);
    };
  },
};

export const ticketNoteCommand: Command = {
  path: ['ticket', 'note'],
  summary: 'add an internal note to a ticket (never shown or mailed to the customer)',
  synopsis: '--provider --ticket NUMBER --name NAME (--body TEXT | --body-file F)',
  help: [
    '--provider        required: notes are the provider\'s',
    '--ticket NUMBER   the ticket number',
    '--name NAME       the note\'s author as the console shows it',
    '--body TEXT       the note, or --body-file F (UTF-8)',
  ],
  options: { provider: { type: 'boolean' }, ticket: { type: 'string' }, name: { type: 'string' }, body: { type: 'string' }, 'body-file': { type: 'string' } },
  prepare(values) {
    if (values.provider !== true) throw new UsageError('add --provider');
    const ticketNumber = required(values, 'ticket').trim();
    const name = required(values, 'name').trim();
    if (name.length > 100) throw new UsageError('--name must be at most 100 characters');
    const body = bodyOf(values);
    return async (ctx, io) => {
      const id = await ticketIdByNumber(ctx.db, ticketNumber);
      await addNote(ctx, CLI_OPERATOR, id, { userId: null, name }, body);
      io.out(`${ticketNumber}: internal note added (the customer does not see it)`);
    };
  },
};
