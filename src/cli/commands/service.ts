// `service category-create|category-list|create|list` (S7): what the provider offers, by category.
import { createCategory, createService, listCategories, listServices, updateCategory, updateService } from '../../portal/catalogue/service.ts';
import { CLI_ACTOR } from './user.ts';
import { PortalInputError } from '../../portal/errors.ts';
import { intInRange, optional, required } from '../args.ts';
import { CliFailure, type Command, UsageError } from '../command.ts';
import { table } from '../table.ts';

/** The portal's refusals become the CLI's one-line failures (exit 1). */
export async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PortalInputError) throw new CliFailure(err.message);
    throw err;
  }
}

export const serviceCategoryCreateCommand: Command = {
  path: ['service', 'category-create'],
  summary: 'create a service category (data centre, voice/video/phone …); prints its id',
  synopsis: '--code CODE --name-ja NAME --name-en NAME [--position N]',
  help: [
    '--code CODE      a short key: lower-case letters, digits and "-" (e.g. datacenter)',
    '--name-ja NAME   the name shown in Japanese (e.g. データセンター)',
    '--name-en NAME   the name shown in English (e.g. Data centre)',
    '--position N     the order on the dashboard, smallest first (default 0)',
  ],
  options: { code: { type: 'string' }, 'name-ja': { type: 'string' }, 'name-en': { type: 'string' }, position: { type: 'string' } },
  prepare(values) {
    const code = required(values, 'code');
    const nameJa = required(values, 'name-ja');
    const nameEn = required(values, 'name-en');
    const position = intInRange(values, 'position', 0, 0, 10_000);
    return async (ctx, io) => {
      const c = await createCategory(ctx.db, { code, nameJa, nameEn, position }, CLI_ACTOR, ctx.now());
      io.out(c.id);
    };
  },
};

export const serviceCategoryListCommand: Command = {
  path: ['service', 'category-list'],
  summary: 'list the service categories',
  synopsis: '',
  help: ['One line per category in dashboard order: id, code, position, Japanese and English names.'],
  options: {},
  prepare: () => async (ctx, io) => {
    const rows = await listCategories(ctx.db);
    if (!rows.length) { io.out('no service categories (create one: bizportal service category-create)'); return; }
    table(io, ['ID', 'CODE', 'POSITION', 'NAME'], rows.map((c) => [c.id, c.code, String(c.position), `${c.name_ja} / ${c.name_en}`]));
  },
};

export const serviceCreateCommand: Command = {
  path: ['service', 'create'],
  summary: 'create a service in a category; prints its id',
  synopsis: '--code CODE --category CODE --name-ja NAME --name-en NAME [--settings-site-url URL]',
  help: [
    '--code CODE              a short key: lower-case letters, digits and "-" (e.g. smart-pbx)',
    '--category CODE          the category code (see \'bizportal service category-list\')',
    '--name-ja NAME           the service name in Japanese',
    '--name-en NAME           the service name in English',
    '--settings-site-url URL  the service\'s Web settings site («Web設定変更サイト»), if it has one',
  ],
  options: {
    code: { type: 'string' }, category: { type: 'string' }, 'name-ja': { type: 'string' }, 'name-en': { type: 'string' },
    'settings-site-url': { type: 'string' },
  },
  prepare(values) {
    const code = required(values, 'code');
    const categoryCode = required(values, 'category');
    const nameJa = required(values, 'name-ja');
    const nameEn = required(values, 'name-en');
    const settingsSiteUrl = optional(values, 'settings-site-url') ?? null;
    return async (ctx, io) => {
      const s = await createService(ctx.db, { code, categoryCode, nameJa, nameEn, settingsSiteUrl }, ctx.now(), CLI_ACTOR);
      io.out(s.id);
    };
  },
};

export const serviceListCommand: Command = {
  path: ['service', 'list'],
  summary: 'list the services',
  synopsis: '',
  help: ['One line per service, by category: id, code, category code, settings site, names.'],
  options: {},
  prepare: () => async (ctx, io) => {
    const rows = await listServices(ctx.db);
    if (!rows.length) { io.out('no services (create one: bizportal service create)'); return; }
    table(io, ['ID', 'CODE', 'CATEGORY', 'SETTINGS SITE', 'NAME'], rows.map((s) => [s.id, s.code, s.category_code, s.settings_site_url ?? '-', `${s.name_ja} / ${s.name_en}`]));
  },
};

export const serviceCategorySetCommand: Command = {
  path: ['service', 'category-set'],
  summary: 'rename a service category or change its position',
  synopsis: '--code CODE [--name-ja NAME] [--name-en NAME] [--position N]',
  help: ['--code CODE      the category', '--name-ja NAME, --name-en NAME   new names', '--position N     the order on the dashboard'],
  options: { code: { type: 'string' }, 'name-ja': { type: 'string' }, 'name-en': { type: 'string' }, position: { type: 'string' } },
  prepare(values) {
    const code = required(values, 'code');
    const nameJa = optional(values, 'name-ja');
    const nameEn = optional(values, 'name-en');
    const position = values.position === undefined ? undefined : intInRange(values, 'position', 0, 0, 10_000);
    if (nameJa === undefined && nameEn === undefined && position === undefined) throw new UsageError('nothing to change: give --name-ja, --name-en or --position');
    return async (ctx, io) => {
      const c = await updateCategory(ctx.db, code, { ...(nameJa !== undefined ? { nameJa } : {}), ...(nameEn !== undefined ? { nameEn } : {}), ...(position !== undefined ? { position } : {}) }, CLI_ACTOR, ctx.now());
      io.out(`category ${c.code}: ${c.name_ja} / ${c.name_en}, position ${c.position}`);
    };
  },
};

export const serviceSetCommand: Command = {
  path: ['service', 'set'],
  summary: 'rename a service, move it to another category, or set or remove its settings site',
  synopsis: '--code CODE [--name-ja NAME] [--name-en NAME] [--category CODE] [--settings-site-url URL | --no-settings-site]',
  help: [
    '--code CODE              the service',
    '--name-ja NAME, --name-en NAME   new names (the contracts\' keyword search follows)',
    '--category CODE          move it to this category',
    '--settings-site-url URL  its Web settings site («Web設定変更サイト»)',
    '--no-settings-site       it has none any more',
  ],
  options: {
    code: { type: 'string' }, 'name-ja': { type: 'string' }, 'name-en': { type: 'string' }, category: { type: 'string' },
    'settings-site-url': { type: 'string' }, 'no-settings-site': { type: 'boolean' },
  },
  prepare(values) {
    const code = required(values, 'code');
    const url = optional(values, 'settings-site-url');
    const none = values['no-settings-site'] === true;
    if (url !== undefined && none) throw new UsageError('give --settings-site-url or --no-settings-site, not both');
    const change = {
      ...(optional(values, 'name-ja') !== undefined ? { nameJa: optional(values, 'name-ja')! } : {}),
      ...(optional(values, 'name-en') !== undefined ? { nameEn: optional(values, 'name-en')! } : {}),
      ...(optional(values, 'category') !== undefined ? { categoryCode: optional(values, 'category')! } : {}),
      ...(url !== undefined ? { settingsSiteUrl: url } : none ? { settingsSiteUrl: null } : {}),
    };
    if (!Object.keys(change).length) throw new UsageError('nothing to change: give --name-ja, --name-en, --category, --settings-site-url or --no-settings-site');
    return async (ctx, io) => {
      const s = await updateService(ctx.db, code, change, CLI_ACTOR, ctx.now());
      io.out(`service ${s.code}: ${s.name_ja} / ${s.name_en}, settings site ${s.settings_site_url ?? '-'}`);
    };
  },
};
