// `order create|list|step` (S7 «お申し込みの進捗»): operators record orders and move their steps
// until the provider console exists.
import { advanceOrder, createOrder, isCalendarDate, isStepCode, operatorOrders, STEP_CODES, type StepCode } from '../../portal/orders/service.ts';
import { intInRange, optional, required } from '../args.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { instant, textPair, localTime } from '../time.ts';

const MAX_NOTICE = 5000;

function date(values: ParsedValues, name: string): string | undefined {
  const v = optional(values, name);
  if (v !== undefined && !isCalendarDate(v)) throw new UsageError(`--${name} must be a date YYYY-MM-DD (got "${v}")`);
  return v;
}

export const orderCreateCommand: Command = {
  path: ['order', 'create'],
  summary: 'record an order of an organisation; prints its number',
  synopsis: '--org ID --service CODE [--contract NUMBER] [--number N] [--applied ISO] [--planned YYYY-MM-DD] [--steps a,b,c] [--opening-notice-ja T --opening-notice-en T]',
  help: [
    '--org ID            the ordering organisation',
    '--service CODE      the service ordered',
    '--contract NUMBER   its contract (N + 9 digits), when there is one already: customers then see the order exactly when they see the contract',
    '--number N          the order number (default: O + 9 random digits)',
    '--applied ISO       when it was applied (default: now); the first step "received" is done then',
    '--planned DATE      the planned service start date',
    `--steps LIST        comma-separated, in order, from ${STEP_CODES.join(', ')} (default: all of them)`,
    '--opening-notice-ja T, --opening-notice-en T   the opening notice («開通案内»)',
  ],
  options: {
    org: { type: 'string' }, service: { type: 'string' }, contract: { type: 'string' }, number: { type: 'string' }, applied: { type: 'string' },
    planned: { type: 'string' }, steps: { type: 'string' }, 'opening-notice-ja': { type: 'string' }, 'opening-notice-en': { type: 'string' },
  },
  prepare(values) {
    const org = required(values, 'org').trim();
    const service = required(values, 'service').trim();
    const contract = optional(values, 'contract')?.trim();
    const number = optional(values, 'number')?.trim();
    if (number !== undefined && !/^[A-Za-z0-9-]{1,32}$/.test(number)) throw new UsageError('--number must be 1 to 32 letters, digits or "-"');
    const appliedAt = instant(values, 'applied');
    const planned = date(values, 'planned');
    const rawSteps = optional(values, 'steps');
    const steps = rawSteps === undefined ? [...STEP_CODES] : rawSteps.split(',').map((s) => s.trim());
    for (const s of steps) if (!isStepCode(s)) throw new UsageError(`--steps: unknown step "${s}" (steps: ${STEP_CODES.join(', ')})`);
    if (!steps.length || new Set(steps).size !== steps.length) throw new UsageError('--steps must name each step once');
    const notice = textPair(values, 'opening-notice-ja', 'opening-notice-en', MAX_NOTICE);
    return async (ctx, io) => {
      const o = await createOrder(ctx.db, {
        organisationId: org, serviceCode: service, appliedAt: appliedAt ?? ctx.now(), steps: steps as StepCode[],
        ...(contract ? { contractNumber: contract } : {}), ...(number ? { number } : {}), ...(planned ? { plannedOpeningDate: planned } : {}),
        ...(notice ? { openingNoticeJa: notice.ja, openingNoticeEn: notice.en } : {}),
      }, ctx.now());
      io.out(o.number);
    };
  },
};

export const orderListCommand: Command = {
  path: ['order', 'list'],
  summary: 'list orders, newest first',
  synopsis: '[--org ID] [--limit N]',
  help: ['--org ID    only this organisation\'s', '--limit N   at most N rows (default 50)'],
  options: { org: { type: 'string' }, limit: { type: 'string' } },
  prepare(values) {
    const org = optional(values, 'org')?.trim();
    const limit = intInRange(values, 'limit', 50, 1, 1000);
    return async (ctx, io) => {
      const rows = await operatorOrders(ctx.db, org || undefined, limit);
      if (!rows.length) { io.out('no orders'); return; }
      table(io, ['NUMBER', 'ORG', 'SERVICE', 'CONTRACT', 'STATUS', 'APPLIED', 'PLANNED'],
        rows.map((o) => [o.number, o.organisation_id, o.service_code, o.contract_number ?? '-', o.status, localTime(o.applied_at), o.planned_opening_date ?? '-']));
    };
  },
};

export const orderStepCommand: Command = {
  path: ['order', 'step'],
  summary: 'mark a step of an order done (in order), or set its planned date',
  synopsis: '--order NUMBER --step CODE (--done [--at ISO] | --planned YYYY-MM-DD) [--opening-notice-ja T --opening-notice-en T]',
  help: [
    '--order NUMBER   the order number',
    `--step CODE      ${STEP_CODES.join(', ')}`,
    '--done           mark the step done; every earlier step must be done. The last one done opens the order',
    '--at ISO         when it was done (default: now)',
    '--planned DATE   set the step\'s planned date instead (for "opened": the planned service start date)',
    '--opening-notice-ja T, --opening-notice-en T   set the opening notice («開通案内») as well',
  ],
  options: {
    order: { type: 'string' }, step: { type: 'string' }, done: { type: 'boolean' }, at: { type: 'string' }, planned: { type: 'string' },
    'opening-notice-ja': { type: 'string' }, 'opening-notice-en': { type: 'string' },
  },
  prepare(values) {
    const order = required(values, 'order').trim();
    const step = required(values, 'step').trim();
    if (!isStepCode(step)) throw new UsageError(`--step must be one of ${STEP_CODES.join(', ')} (got "${step}")`);
    const done = values.done === true;
    const at = instant(values, 'at');
    const planned = date(values, 'planned');
    if (done === (planned !== undefined)) throw new UsageError('give exactly one of --done and --planned');
    if (at !== undefined && !done) throw new UsageError('--at goes with --done');
    const notice = textPair(values, 'opening-notice-ja', 'opening-notice-en', MAX_NOTICE);
    return async (ctx, io) => {
      const r = await advanceOrder(ctx.db, {
        orderNumber: order, step, ...(done ? { doneAt: at ?? ctx.now() } : {}), ...(planned ? { plannedDate: planned } : {}),
        ...(notice ? { openingNoticeJa: notice.ja, openingNoticeEn: notice.en } : {}),
      }, ctx.now(), undefined, { publicUrl: ctx.config.publicUrl });
      io.out((done ? `${order}: ${step} done${r.opened ? '; the order is open (service started)' : ''}` : `${order}: ${step} planned for ${planned}`)
        + (r.notified ? `; ${r.notified} ${r.notified === 1 ? 'person' : 'people'} notified by mail` : ''));
    };
  },
};
