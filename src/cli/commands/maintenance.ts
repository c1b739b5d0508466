// `maintenance schedule|change|list|cancel` (S10): windows announced from --announce-from, enforced from
// --start to --end on every node (the database is the truth).
import { cancelMaintenance, changeMaintenance, listMaintenance, MAX_MESSAGE, scheduleMaintenance } from '../../portal/maintenance/service.ts';
import { required } from '../args.ts';
import { CLI_ACTOR } from './user.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { jsonHelp, JSON_OPTION, printJson, wantsJson } from '../json.ts';
import { instant, iso, requiredInstant, textPair, localTime } from '../time.ts';

/** The window that `schedule` and `change` both take: start, end, ja/en message, optional announce-from. */
function windowOf(values: ParsedValues) {
  const startsAt = requiredInstant(values, 'start');
  const endsAt = requiredInstant(values, 'end');
  const announceFrom = instant(values, 'announce-from');
  if (endsAt <= startsAt) throw new UsageError('--end must be after --start');
  if (announceFrom !== undefined && announceFrom > startsAt) throw new UsageError('--announce-from must not be after --start');
  required(values, 'message-ja'); required(values, 'message-en');
  const msg = textPair(values, 'message-ja', 'message-en', MAX_MESSAGE)!;
  return { startsAt, endsAt, ...(announceFrom !== undefined ? { announceFrom } : {}), messageJa: msg.ja, messageEn: msg.en };
}

export const maintenanceScheduleCommand: Command = {
  path: ['maintenance', 'schedule'],
  summary: 'schedule a maintenance window; prints its id',
  synopsis: '--start ISO --end ISO --message-ja T --message-en T [--announce-from ISO]',
  help: [
    '--start ISO          when login and the portal stop (ISO 8601 with offset, e.g. 2026-03-03T15:00:00Z)',
    '--end ISO            when they come back by themselves; after --start',
    '--message-ja T       the message on the maintenance page and the announcement (Japanese)',
    '--message-en T       the same in English',
    '--announce-from ISO  from when the login page and the dashboard announce it; default: now',
  ],
  options: { start: { type: 'string' }, end: { type: 'string' }, 'announce-from': { type: 'string' }, 'message-ja': { type: 'string' }, 'message-en': { type: 'string' } },
  prepare(values) {
    const window = windowOf(values);
    return async (ctx, io) => {
      const w = await scheduleMaintenance(ctx.db, window, CLI_ACTOR, ctx.now());
      io.out(w.id);
    };
  },
};

export const maintenanceChangeCommand: Command = {
  path: ['maintenance', 'change'],
  summary: 'change a window that is neither cancelled nor over (a running one too); every node applies it at the next request',
  synopsis: '--id ID --start ISO --end ISO --message-ja T --message-en T [--announce-from ISO]',
  help: [
    '--id ID              the window (see \'bizportal maintenance list\')',
    '--start ISO, --end ISO, --message-ja T, --message-en T   as for schedule, given again',
    '--announce-from ISO  default: unchanged (or the new start, if that is earlier)',
  ],
  options: { id: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, 'announce-from': { type: 'string' }, 'message-ja': { type: 'string' }, 'message-en': { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id').trim();
    const window = windowOf(values);
    return async (ctx, io) => {
      const w = await changeMaintenance(ctx.db, id, window, CLI_ACTOR, ctx.now());
      io.out(`changed ${w.id}: announced from ${localTime(w.announce_from)}, ${localTime(w.starts_at)} – ${localTime(w.ends_at)}`);
    };
  },
};

export const maintenanceListCommand: Command = {
  path: ['maintenance', 'list'],
  summary: 'list maintenance windows not over yet (--all: every one)',
  synopsis: '[--all] [--json]',
  help: ['--all   also past and cancelled windows', jsonHelp(8), 'Times are UTC.'],
  options: { all: { type: 'boolean' }, ...JSON_OPTION },
  prepare(values) {
    const all = values.all === true;
    return async (ctx, io) => {
      const rows = await listMaintenance(ctx.db, ctx.now(), all);
      if (wantsJson(values)) {
        printJson(io, rows.map((w) => ({
          id: w.id, announceFrom: iso(w.announce_from), startsAt: iso(w.starts_at), endsAt: iso(w.ends_at),
          cancelledAt: w.cancelled_at === null ? null : iso(w.cancelled_at), messageJa: w.message_ja, messageEn: w.message_en,
        })));
        return;
      }
      if (!rows.length) { io.out('no maintenance windows'); return; }
      table(io, ['ID', 'ANNOUNCE FROM', 'START', 'END', 'CANCELLED', 'MESSAGE (EN)'],
        rows.map((w) => [w.id, localTime(w.announce_from), localTime(w.starts_at), localTime(w.ends_at), localTime(w.cancelled_at), w.message_en.slice(0, 60)]));
    };
  },
};

export const maintenanceCancelCommand: Command = {
  path: ['maintenance', 'cancel'],
  summary: 'cancel a window that is not over (a running one ends at once)',
  synopsis: '--id ID',
  help: ['--id ID   the window id (see \'bizportal maintenance list\')'],
  options: { id: { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id').trim();
    return async (ctx, io) => {
      await cancelMaintenance(ctx.db, id, CLI_ACTOR, ctx.now());
      io.out(`cancelled ${id}`);
    };
  },
};
