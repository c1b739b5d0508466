// `ticket list`, `ticket reply --provider` (S9): the provider's side until its console (issue 26).
import { readFileSync } from 'node:fs';
import type { TicketStatus } from '../../db/schema.ts';
import { MAX_BODY, operatorTickets, replyAsProvider, STATUSES } from '../../portal/tickets/service.ts';
import { intInRange, oneOf, optional, required } from '../args.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { iso } from '../time.ts';

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
        rows.map((k) => [k.number, k.organisation_id, k.category, k.service_code ?? '-', k.status, iso(k.updated_at), k.subject.replace(/[\r\n\t]+/g, ' ').slice(0, 60)]));
    };
  },
};

export const ticketReplyCommand: Command = {
  path: ['ticket', 'reply'],
  summary: 'answer a ticket as the provider; mails its author (outbox)',
  synopsis: '--provider --ticket NUMBER --name NAME (--body TEXT | --body-file F)',
  help: [
    '--provider        required: the reply is the provider\'s (customers reply in the portal)',
    '--ticket NUMBER   the ticket number (T + 9 digits, see \'bizportal ticket list\')',
    '--name NAME       the name shown as the reply\'s author, e.g. "Support desk"',
    '--body TEXT       the reply, or --body-file F (UTF-8)',
    'The ticket then waits for the customer; its author gets a mail with a link (not the text).',
  ],
  options: { provider: { type: 'boolean' }, ticket: { type: 'string' }, name: { type: 'string' }, body: { type: 'string' }, 'body-file': { type: 'string' } },
  prepare(values) {
    if (values.provider !== true) throw new UsageError('only provider replies are made from the CLI: add --provider');
    const ticketNumber = required(values, 'ticket').trim();
    const name = required(values, 'name').trim();
    if (name.length > 100) throw new UsageError('--name must be at most 100 characters');
    const body = bodyOf(values);
    return async (ctx, io) => {
      const r = await replyAsProvider(ctx, { ticketNumber, authorName: name, body });
      io.out(`${r.ticket.number}: replied${r.mailId ? `; mail ${r.mailId} queued to the author` : '; the author is disabled, no mail'}`);
    };
  },
};
