// `outbox list`: the mails queued, sent or given up on (S1: a mail is a row first, never lost).
// Bodies hold setup links and one-time codes, so they are shown only with --body.
import { type OutboxState, listOutbox } from '../../mail/service.ts';
import { intInRange, oneOf } from '../args.ts';
import type { Command } from '../command.ts';
import { table } from '../table.ts';
import { localTime } from '../time.ts';

const STATES: readonly OutboxState[] = ['queued', 'sent', 'dead'];


export const outboxListCommand: Command = {
  path: ['outbox', 'list'],
  summary: 'list the newest mails in the outbox',
  synopsis: '[--state queued|sent|dead] [--limit N] [--body]',
  help: [
    '--state S    only mails in this state',
    '--limit N    at most N mails, newest first (1 to 1000, default 20)',
    '--body       also print each mail\'s text: it holds live setup links and codes, mind who sees it',
  ],
  options: { state: { type: 'string' }, limit: { type: 'string' }, body: { type: 'boolean' } },
  prepare(values) {
    const state = oneOf(values, 'state', STATES);
    const limit = intInRange(values, 'limit', 20, 1, 1000);
    const includeBody = values.body === true;
    return async (ctx, io) => {
      const mails = await listOutbox(ctx.db, { limit, includeBody, ...(state ? { state } : {}) });
      if (mails.length === 0) {
        io.out(state ? `no ${state} mails in the outbox` : 'the outbox is empty');
        return;
      }
      if (!includeBody) {
        // The last delivery error says why a mail is still queued or dead (issue 15 §10).
        table(io, ['CREATED', 'STATE', 'TRIES', 'KIND', 'TO', 'SUBJECT', 'LAST ERROR'],
          mails.map((m) => [localTime(m.createdAt), m.state, String(m.attempts), m.kind, m.to, m.subject, m.lastError ? m.lastError.slice(0, 120) : '-']));
        return;
      }
      for (const m of mails) {
        io.out(`--- ${m.id}  ${localTime(m.createdAt)}  ${m.state} (tries ${m.attempts}, sent ${localTime(m.sentAt)})  ${m.kind}`);
        io.out(`To: ${m.to}`);
        io.out(`Subject: ${m.subject}`);
        if (m.lastError) io.out(`Last error: ${m.lastError}`);
        io.out('');
        for (const line of (m.bodyText ?? '').split('\n')) io.out(line);
      }
    };
  },
};
