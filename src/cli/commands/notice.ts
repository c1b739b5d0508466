// `notice create|list|withdraw` (S7 «工事・故障情報», S10).
import type { NoticeKind } from '../../db/schema.ts';
import { createNotice, MAX_BODY, MAX_TITLE, NOTICE_KINDS, operatorNotices, withdrawNotice } from '../../portal/notices/service.ts';
import { optional, required, requiredOneOf } from '../args.ts';
import { type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { instant, iso, requiredInstant, textPair } from '../time.ts';

export const noticeCreateCommand: Command = {
  path: ['notice', 'create'],
  summary: 'publish a construction, outage or information notice; prints its id',
  synopsis: '--kind construction|outage|information [--service CODE] --title-ja T --title-en T --body-ja T --body-en T --start ISO [--end ISO]',
  help: [
    '--kind KIND        construction, outage or information',
    '--service CODE     the service it concerns; without it, every service',
    '--title-ja T, --title-en T   titles (at most 200 characters)',
    '--body-ja T, --body-en T     texts (at most 10000 characters)',
    '--start ISO        start of the work or outage (ISO 8601 with offset)',
    '--end ISO          its end, after --start; without it, until further notice',
  ],
  options: {
    kind: { type: 'string' }, service: { type: 'string' }, 'title-ja': { type: 'string' }, 'title-en': { type: 'string' },
    'body-ja': { type: 'string' }, 'body-en': { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
  },
  prepare(values) {
    const kind = requiredOneOf<NoticeKind>(values, 'kind', NOTICE_KINDS);
    const startsAt = requiredInstant(values, 'start');
    const endsAt = instant(values, 'end');
    if (endsAt !== undefined && endsAt <= startsAt) throw new UsageError('--end must be after --start');
    for (const f of ['title-ja', 'title-en', 'body-ja', 'body-en']) required(values, f);
    const title = textPair(values, 'title-ja', 'title-en', MAX_TITLE)!;
    const body = textPair(values, 'body-ja', 'body-en', MAX_BODY)!;
    const service = optional(values, 'service')?.trim();
    if (service === '') throw new UsageError('--service must not be empty');
    return async (ctx, io) => {
      const n = await createNotice(ctx.db, {
        kind, titleJa: title.ja, titleEn: title.en, bodyJa: body.ja, bodyEn: body.en, startsAt,
        ...(endsAt !== undefined ? { endsAt } : {}), ...(service ? { serviceCode: service } : {}),
      }, ctx.now());
      io.out(n.id);
    };
  },
};

export const noticeListCommand: Command = {
  path: ['notice', 'list'],
  summary: 'list notices not over and not withdrawn (--all: every one)',
  synopsis: '[--all]',
  help: ['--all   also ended and withdrawn notices', 'Times are UTC.'],
  options: { all: { type: 'boolean' } },
  prepare(values) {
    const all = values.all === true;
    return async (ctx, io) => {
      const rows = await operatorNotices(ctx.db, ctx.now(), all);
      if (!rows.length) { io.out('no notices'); return; }
      table(io, ['ID', 'KIND', 'SERVICE', 'START', 'END', 'WITHDRAWN', 'TITLE (EN)'],
        rows.map((n) => [n.id, n.kind, n.service_code ?? '(all)', iso(n.starts_at), iso(n.ends_at), iso(n.withdrawn_at), n.title_en.slice(0, 60)]));
    };
  },
};

export const noticeWithdrawCommand: Command = {
  path: ['notice', 'withdraw'],
  summary: 'withdraw a notice: customers no longer see it',
  synopsis: '--id ID',
  help: ['--id ID   the notice id (see \'bizportal notice list\')'],
  options: { id: { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id').trim();
    return async (ctx, io) => {
      await withdrawNotice(ctx.db, id, ctx.now());
      io.out(`withdrawn ${id}`);
    };
  },
};
