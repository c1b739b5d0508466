// `brand show|set|clear --org ID | --preset NAME` (issue 20 item 2): the portal name, colour, logo,
// favicon, footer company and support contact of a preset or an organisation. The checks are the
// branding service's (the console's too): a colour under WCAG AA contrast, an image of the wrong
// type or size is refused with the reason, and nothing is stored. Audited with the CLI as actor.
import { readFileSync, statSync } from 'node:fs';
import { clearBrand, setBrand, showBrand, type BrandChange, type TextField } from '../../branding/service.ts';
import { IMAGE_LIMITS } from '../../branding/images.ts';
import type { BrandScope } from '../../db/schema.ts';
import { optional } from '../args.ts';
import { CLI_ACTOR } from './user.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { JSON_OPTION, wantsJson } from '../json.ts';
import { iso } from '../time.ts';

const SCOPE_OPTIONS = { org: { type: 'string' }, preset: { type: 'string' } } as const;
const SCOPE_HELP = ['--org ID | --preset NAME   whose branding: an organisation, or a preset (business, partner-child)'];

function scopeOf(values: ParsedValues): { scope: BrandScope; id: string } {
  const org = optional(values, 'org')?.trim();
  const preset = optional(values, 'preset')?.trim();
  if ((org ? 1 : 0) + (preset ? 1 : 0) !== 1) throw new UsageError('give exactly one of --org ID or --preset NAME');
  return org ? { scope: 'org', id: org } : { scope: 'preset', id: preset! };
}

/** CLI flag → the service's field. */
const TEXT_FLAGS: Record<string, TextField> = {
  'name-ja': 'name_ja', 'name-en': 'name_en', 'footer-ja': 'footer_ja', 'footer-en': 'footer_en',
  'support-email': 'support_email', 'support-phone': 'support_phone', 'support-url': 'support_url',
  'support-hours-ja': 'support_hours_ja', 'support-hours-en': 'support_hours_en',
};

function readImage(values: ParsedValues, flag: 'logo' | 'favicon'): Buffer | null | undefined {
  const path = optional(values, flag);
  if (path === undefined) return undefined;
  if (path === '') return null; // --logo "" removes it
  let size: number;
  try { size = statSync(path).size; } catch { throw new UsageError(`--${flag}: cannot read ${path}`); }
  // Refused before reading a huge file whole; the service checks the bytes again.
  if (size > IMAGE_LIMITS[flag].maxBytes) throw new UsageError(`--${flag}: ${path} is ${size} bytes; at most ${IMAGE_LIMITS[flag].maxLabel}. Nothing was saved.`);
  return readFileSync(path);
}

const jsonOf = (m: Awaited<ReturnType<typeof showBrand>>) => m && ({
  scope: m.scope, id: m.scope_id, nameJa: m.name_ja, nameEn: m.name_en, colour: m.colour, footerJa: m.footer_ja, footerEn: m.footer_en,
  support: { email: m.support_email, phone: m.support_phone, url: m.support_url, hoursJa: m.support_hours_ja, hoursEn: m.support_hours_en },
  logo: m.logo_hash ? { type: m.logo_type, hash: m.logo_hash } : null, favicon: m.favicon_hash ? { type: m.favicon_type, hash: m.favicon_hash } : null,
  version: m.version, updatedAt: iso(m.updated_at),
});

export const brandShowCommand: Command = {
  path: ['brand', 'show'],
  summary: 'show the branding set for a preset or an organisation (only its own fields, not what it falls back to)',
  synopsis: '--org ID | --preset NAME [--json]',
  help: [...SCOPE_HELP, '--json   one JSON object (null when nothing is set)'],
  options: { ...SCOPE_OPTIONS, ...JSON_OPTION },
  prepare(values) {
    const { scope, id } = scopeOf(values);
    return async (ctx, io) => {
      const m = jsonOf(await showBrand(ctx.db, scope, id));
      if (wantsJson(values)) { io.out(JSON.stringify(m ?? null, null, 2)); return; }
      if (!m) { io.out(`no branding set for ${scope} ${id}`); return; }
      const rows: [string, string | null][] = [
        ['name (ja)', m.nameJa], ['name (en)', m.nameEn], ['colour', m.colour], ['footer (ja)', m.footerJa], ['footer (en)', m.footerEn],
        ['support e-mail', m.support.email], ['support phone', m.support.phone], ['support URL', m.support.url],
        ['support hours (ja)', m.support.hoursJa], ['support hours (en)', m.support.hoursEn],
        ['logo', m.logo ? `${m.logo.type} ${m.logo.hash}` : null], ['favicon', m.favicon ? `${m.favicon.type} ${m.favicon.hash}` : null],
        ['version', m.version], ['updated', m.updatedAt],
      ];
      for (const [k, v] of rows) io.out(`${k.padEnd(20)}${v ?? '-'}`);
    };
  },
};

export const brandSetCommand: Command = {
  path: ['brand', 'set'],
  summary: 'set branding fields of a preset or an organisation (fields not given stay; "" clears one)',
  synopsis: '--org ID | --preset NAME [--name-ja T] [--name-en T] [--colour #rrggbb] [--logo FILE] [--favicon FILE] [--footer-ja T] [--footer-en T] [--support-email E] [--support-phone P] [--support-url https://…] [--support-hours-ja T] [--support-hours-en T] [--json]',
  help: [
    ...SCOPE_HELP,
    '--name-ja T, --name-en T         the portal name in the header, titles and mails',
    '--colour #rrggbb                 brand colour; needs 4.5:1 (WCAG AA) against white and against #f4f6f9',
    `--logo FILE                      PNG, SVG or WebP, at most ${IMAGE_LIMITS.logo.maxLabel} (type by content); "" removes it`,
    `--favicon FILE                   PNG, ICO or SVG, at most ${IMAGE_LIMITS.favicon.maxLabel}; "" removes it`,
    '--footer-ja T, --footer-en T     the company named in the footer (© …)',
    '--support-email/-phone/-url      the support contact on error pages and in mails (URL: https only)',
    '--support-hours-ja/-en T         support hours, e.g. «平日 9:00–18:00»',
    '--json                           print the stored settings as JSON',
  ],
  options: {
    ...SCOPE_OPTIONS, ...JSON_OPTION, colour: { type: 'string' }, logo: { type: 'string' }, favicon: { type: 'string' },
    ...Object.fromEntries(Object.keys(TEXT_FLAGS).map((f) => [f, { type: 'string' as const }])),
  },
  prepare(values) {
    const { scope, id } = scopeOf(values);
    const text: Partial<Record<TextField, string>> = {};
    for (const [flag, field] of Object.entries(TEXT_FLAGS)) {
      const v = optional(values, flag);
      if (v !== undefined) text[field] = v;
    }
    const change: BrandChange = { text };
    const colour = optional(values, 'colour');
    if (colour !== undefined) change.colour = colour;
    const logo = readImage(values, 'logo');
    if (logo !== undefined) change.logo = logo;
    const favicon = readImage(values, 'favicon');
    if (favicon !== undefined) change.favicon = favicon;
    if (!Object.keys(text).length && colour === undefined && logo === undefined && favicon === undefined) {
      throw new UsageError('nothing to set: give at least one field (see --help)');
    }
    return async (ctx, io) => {
      const row = await setBrand(ctx.db, scope, id, change, CLI_ACTOR, ctx.now());
      if (wantsJson(values)) { const { logo_b64: _l, favicon_b64: _f, ...meta } = row; io.out(JSON.stringify(jsonOf(meta), null, 2)); return; }
      io.out(`branding of ${scope} ${id} saved (version ${row.version}); other nodes show it within 30 seconds`);
    };
  },
};

export const brandClearCommand: Command = {
  path: ['brand', 'clear'],
  summary: 'remove every branding field of a preset or an organisation (it falls back to the preset or the defaults)',
  synopsis: '--org ID | --preset NAME',
  help: SCOPE_HELP,
  options: SCOPE_OPTIONS,
  prepare(values) {
    const { scope, id } = scopeOf(values);
    return async (ctx, io) => {
      const removed = await clearBrand(ctx.db, scope, id, CLI_ACTOR, ctx.now());
      io.out(removed ? `branding of ${scope} ${id} cleared` : `no branding was set for ${scope} ${id}`);
    };
  },
};

export const BRAND_COMMANDS: readonly Command[] = [brandShowCommand, brandSetCommand, brandClearCommand];
