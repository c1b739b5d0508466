// `notice create|change|list|withdraw` (S7 «工事・故障情報», S10). The console (issue 26) calls the
// same service functions: checkNotice, publishNotice, changeNotice, withdrawNotice.
import { readFileSync } from 'node:fs';
import type { NoticeKind, NoticeStatus } from '../../db/schema.ts';
import type { AppContext } from '../../context.ts';
import {
  changeNotice, MAX_BODY, MAX_TITLE, NOTICE_KINDS, operatorNotice, operatorNotices, publishNotice, serviceIdsForCodes, withdrawNotice,
  changeNoticeStatus, NOTICE_STATUSES, parseContractLines, type ContractTarget, type NoticeMailSetting,
  type NoticeInput, type OperatorNoticeView,
} from '../../portal/notices/service.ts';
import { oneOf, optional, required, requiredOneOf } from '../args.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { jsonHelp, JSON_OPTION, printJson, wantsJson } from '../json.ts';
import { instant, iso, requiredInstant, textPair, localTime } from '../time.ts';
import { CLI_ACTOR } from './user.ts';

const TEXT_HELP = [
  '--service CODE[,CODE…]       the services it concerns; without it, every service',
  '--title-ja T, --title-en T   titles (at most 200 characters)',
  '--body-ja T, --body-en T     texts (at most 10000 characters)',
  '--start ISO        start of the work or outage (ISO 8601 with offset)',
  '--end ISO          its end, after --start; without it, until further notice',
  '--contracts-file F the affected contracts (issue 24): one «number impact» per line, impact outage,',
  '                   degraded, reduced_redundancy or none; an empty file clears them (change: without it, unchanged)',
];
const TEXT_OPTIONS = {
  kind: { type: 'string' }, service: { type: 'string' }, 'title-ja': { type: 'string' }, 'title-en': { type: 'string' },
  'body-ja': { type: 'string' }, 'body-en': { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
  'contracts-file': { type: 'string' },
} as const;

/** The maintenance mail's links and organizer come from the configuration (PUBLIC_URL, MAIL_FROM). */
function mailSetting(ctx: AppContext): NoticeMailSetting {
  return { publicUrl: ctx.config.publicUrl, mailFrom: ctx.config.mailFrom, secretKey: ctx.config.secretKey };
}

/** --contracts-file F: read and checked before anything is written (a usage error names the line). */
function contractsOf(values: ParsedValues): ContractTarget[] | undefined {
  const file = optional(values, 'contracts-file');
  if (file === undefined) return undefined;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { throw new UsageError(`--contracts-file: cannot read ${file}`); }
  return parseContractLines(text);
}

/** The codes of --service a,b (none: every service). */
function serviceCodes(values: ParsedValues): string[] {
  const raw = optional(values, 'service');
  if (raw === undefined) return [];
  const codes = raw.split(',').map((c) => c.trim());
  if (codes.some((c) => c === '')) throw new UsageError('--service must not be empty (codes separated by commas)');
  return [...new Set(codes)];
}

/** Every field of a notice from the command line: the kind, codes, texts and period. */
function noticeFields(values: ParsedValues, kind: NoticeKind) {
  const startsAt = requiredInstant(values, 'start');
  const endsAt = instant(values, 'end');
  if (endsAt !== undefined && endsAt <= startsAt) throw new UsageError('--end must be after --start');
  for (const f of ['title-ja', 'title-en', 'body-ja', 'body-en']) required(values, f);
  const title = textPair(values, 'title-ja', 'title-en', MAX_TITLE)!;
  const body = textPair(values, 'body-ja', 'body-en', MAX_BODY)!;
  const codes = serviceCodes(values);
  return { kind, codes, titleJa: title.ja, titleEn: title.en, bodyJa: body.ja, bodyEn: body.en, startsAt, endsAt, contracts: contractsOf(values) };
}

function describe(n: OperatorNoticeView): string {
  return `${n.kind} ${n.allServices ? '(all services)' : n.services.map((s) => s.code).join(',')} ${localTime(n.startsAt)} – ${localTime(n.endsAt)}`;
}

export const noticeCreateCommand: Command = {
  path: ['notice', 'create'],
  summary: 'publish a construction, outage or information notice; prints its id',
  synopsis: '--kind construction|outage|information [--service CODE[,CODE…]] --title-ja T --title-en T --body-ja T --body-en T --start ISO [--end ISO]',
  help: ['--kind KIND        construction, outage or information', '--status S         tentative, confirmed (default), in_progress, completed or cancelled', ...TEXT_HELP],
  options: { ...TEXT_OPTIONS, status: { type: 'string' } },
  prepare(values) {
    const f = noticeFields(values, requiredOneOf<NoticeKind>(values, 'kind', NOTICE_KINDS));
    const status = oneOf<NoticeStatus>(values, 'status', NOTICE_STATUSES);
    return async (ctx, io) => {
      const input: NoticeInput = { ...f, serviceIds: await serviceIdsForCodes(ctx.db, f.codes), status };
      const n = await publishNotice(ctx.db, input, CLI_ACTOR, ctx.now(), mailSetting(ctx));
      io.out(n.id);
    };
  },
};

export const noticeChangeCommand: Command = {
  path: ['notice', 'change'],
  summary: 'change a notice that is not withdrawn: every field is given again (as in the console\'s form)',
  synopsis: '--id ID [--kind KIND] [--service CODE[,CODE…]] --title-ja T --title-en T --body-ja T --body-en T --start ISO [--end ISO]',
  help: ['--id ID            the notice (see \'bizportal notice list\')', '--kind KIND        construction, outage or information; default: unchanged', ...TEXT_HELP],
  options: { id: { type: 'string' }, ...TEXT_OPTIONS },
  prepare(values) {
    const id = required(values, 'id').trim();
    const kind = oneOf<NoticeKind>(values, 'kind', NOTICE_KINDS);
    const f = noticeFields(values, kind ?? 'information');
    return async (ctx, io) => {
      const before = await operatorNotice(ctx.db, id, ctx.now());
      const input: NoticeInput = { ...f, kind: kind ?? before.kind, serviceIds: await serviceIdsForCodes(ctx.db, f.codes) };
      const n = await changeNotice(ctx.db, id, input, CLI_ACTOR, ctx.now(), mailSetting(ctx));
      io.out(`changed ${id}: ${describe(n)}`);
    };
  },
};

export const noticeListCommand: Command = {
  path: ['notice', 'list'],
  summary: 'list notices running or scheduled (--when past: over or withdrawn; --all: every one)',
  synopsis: '[--when current|scheduled|past] [--all] [--json]',
  help: ['--when W   current (running), scheduled (not started) or past (over or withdrawn)', '--all      every notice', jsonHelp(11), 'Without either: current and scheduled. Times are UTC.'],
  options: { all: { type: 'boolean' }, when: { type: 'string' }, ...JSON_OPTION },
  prepare(values) {
    const when = oneOf(values, 'when', ['current', 'scheduled', 'past'] as const);
    if (when && values.all === true) throw new UsageError('--when and --all go alone');
    return async (ctx, io) => {
      const now = ctx.now();
      const lists = values.all === true ? [await operatorNotices(ctx.db, now, 'all', { limit: 500 })]
        : when ? [await operatorNotices(ctx.db, now, when, { limit: 500 })]
          : [await operatorNotices(ctx.db, now, 'current', { limit: 250 }), await operatorNotices(ctx.db, now, 'scheduled', { limit: 250 })];
      const rows = lists.flatMap((l) => l.notices);
      if (wantsJson(values)) {
        printJson(io, rows.map((n) => ({
          id: n.id, kind: n.kind, allServices: n.allServices, services: n.services.map((s) => s.code), startsAt: iso(n.startsAt),
          endsAt: n.endsAt === null ? null : iso(n.endsAt), withdrawnAt: n.withdrawnAt === null ? null : iso(n.withdrawnAt), titleJa: n.titleJa, titleEn: n.titleEn,
        })));
        return;
      }
      if (!rows.length) { io.out('no notices'); return; }
      table(io, ['ID', 'KIND', 'SERVICE', 'START', 'END', 'WITHDRAWN', 'TITLE (EN)'],
        rows.map((n) => [n.id, n.kind, n.allServices ? '(all)' : n.services.map((s) => s.code).join(','), localTime(n.startsAt), localTime(n.endsAt), localTime(n.withdrawnAt), n.titleEn.slice(0, 60)]));
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
      await withdrawNotice(ctx.db, id, CLI_ACTOR, ctx.now());
      io.out(`withdrawn ${id}`);
    };
  },
};

export const noticeStatusCommand: Command = {
  path: ['notice', 'status'],
  summary: "move a notice to another status (history kept; users who may see an affected contract are mailed with the .ics)",
  synopsis: '--id ID --status tentative|confirmed|in_progress|completed|cancelled',
  help: ['--id ID     the notice id (see \'bizportal notice list\')', '--status S  the new status'],
  options: { id: { type: 'string' }, status: { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id').trim();
    const status = requiredOneOf<NoticeStatus>(values, 'status', NOTICE_STATUSES);
    return async (ctx, io) => {
      const n = await changeNoticeStatus(ctx.db, id, status, CLI_ACTOR, ctx.now(), mailSetting(ctx));
      io.out(`${id}: ${n.statusHistory.map((h) => h.status).join(' → ')}`);
    };
  },
};
