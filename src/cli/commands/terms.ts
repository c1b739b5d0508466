// `terms publish|diff|list` (S6): a new terms version, which every user must accept at their next
// login; what it changes against the current one (the console shows the same diff, issue 26).
import { readFileSync } from 'node:fs';
import { DEFAULT_TERMS, diffAgainstCurrent, listTermsVersions, publishCheckedTerms, publishTerms } from '../../auth/service.ts';
import { unifiedLines } from '../../lib/line-diff.ts';
import { table } from '../table.ts';
import { localTime } from '../time.ts';
import { optional, required } from '../args.ts';
import { type Command, type ParsedValues, UsageError } from '../command.ts';
import { CLI_ACTOR } from './user.ts';

const TEXT_FLAGS = ['title-ja', 'title-en', 'body-ja-file', 'body-en-file'] as const;
const MAX_TITLE = 200;

function readBody(values: ParsedValues, name: string): string {
  const file = required(values, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read --${name} "${file}" (${code})`);
  }
  if (text.trim() === '') throw new UsageError(`--${name} "${file}" is empty`);
  return text.replace(/^\uFEFF/, '');   // a BOM from Windows editors is not part of the terms
}

function title(values: ParsedValues, name: string): string {
  const v = required(values, name).trim();
  if (v.length > MAX_TITLE) throw new UsageError(`--${name} must be at most ${MAX_TITLE} characters`);
  return v;
}

/** The texts of --default or of the title and file flags. */
function termsFrom(values: ParsedValues): typeof DEFAULT_TERMS {
  if (values.default === true) {
    const mixed = TEXT_FLAGS.filter((f) => optional(values, f) !== undefined);
    if (mixed.length) throw new UsageError(`--default cannot be combined with ${mixed.map((f) => `--${f}`).join(', ')}`);
    return DEFAULT_TERMS;
  }
  return {
    titleJa: title(values, 'title-ja'), titleEn: title(values, 'title-en'),
    bodyJa: readBody(values, 'body-ja-file'), bodyEn: readBody(values, 'body-en-file'),
  };
}

const TEXT_OPTIONS = {
  'title-ja': { type: 'string' }, 'title-en': { type: 'string' },
  'body-ja-file': { type: 'string' }, 'body-en-file': { type: 'string' }, default: { type: 'boolean' },
} as const;

export const termsDiffCommand: Command = {
  path: ['terms', 'diff'],
  summary: 'show what publishing these terms would change against the current version (writes nothing)',
  synopsis: '--title-ja T --title-en T --body-ja-file F --body-en-file F | --default',
  help: ['The same options as \'terms publish\'. Unchanged stretches are shown as "@@ N unchanged lines @@".'],
  options: TEXT_OPTIONS,
  prepare(values) {
    const terms = termsFrom(values);
    return async (ctx, io) => {
      const d = await diffAgainstCurrent(ctx.db, terms);
      io.out(d.previous ? `against version ${d.previous.version} (published ${localTime(d.previous.publishedAt)})` : 'no version published yet: everything is new');
      if (!d.changed) { io.out('no changes: publishing would still make every user accept the same text again'); return; }
      for (const [label, lines] of [['title (ja)', d.title.ja], ['title (en)', d.title.en], ['body (ja)', d.body.ja], ['body (en)', d.body.en]] as const) {
        if (!lines.some((l) => l.op !== 'same')) continue;
        io.out(`--- ${label}`);
        for (const l of unifiedLines(lines)) io.out(l);
      }
    };
  },
};

export const termsListCommand: Command = {
  path: ['terms', 'list'],
  summary: 'list the published terms versions, newest first, with how many users accepted each',
  synopsis: '',
  help: ['Times are UTC.'],
  options: {},
  prepare() {
    return async (ctx, io) => {
      const rows = await listTermsVersions(ctx.db);
      if (!rows.length) { io.out('no terms published'); return; }
      table(io, ['VERSION', 'ID', 'PUBLISHED', 'ACCEPTED BY', 'TITLE (EN)'], rows.map((r) => [String(r.version), r.id, localTime(r.published_at), String(r.acceptances), r.title_en.slice(0, 60)]));
    };
  },
};

export const termsPublishCommand: Command = {
  path: ['terms', 'publish'],
  summary: 'publish a new terms version, which every user must accept at their next login',
  synopsis: '--title-ja T --title-en T --body-ja-file F --body-en-file F | --default',
  help: [
    '--title-ja T        the Japanese title',
    '--title-en T        the English title',
    '--body-ja-file F    a UTF-8 text file with the Japanese terms',
    '--body-en-file F    a UTF-8 text file with the English terms',
    '--default           publish the built-in default terms instead (no other option)',
  ],
  options: TEXT_OPTIONS,
  prepare(values) {
    const terms = termsFrom(values);
    return async (ctx, io) => {
      const row = terms === DEFAULT_TERMS ? await publishTerms(ctx, terms, CLI_ACTOR) : await publishCheckedTerms(ctx, terms, CLI_ACTOR);
      io.out(`published terms version ${row.version} (${row.title_en} / ${row.title_ja}), id ${row.id}`);
    };
  },
};
