// `service category-create|category-list|create|list` (S7): what the provider offers, by category.
import { createCategory, createService, listCategories, listServices } from '../../portal/catalogue/service.ts';
import { PortalInputError } from '../../portal/errors.ts';
import { intInRange, optional, required } from '../args.ts';
import { CliFailure, type Command } from '../command.ts';
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
      const c = await refusing(() => createCategory(ctx.db, { code, nameJa, nameEn, position }));
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
      const s = await refusing(() => createService(ctx.db, { code, categoryCode, nameJa, nameEn, settingsSiteUrl }, ctx.now()));
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
