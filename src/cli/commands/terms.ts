// `terms publish` (S6): a new terms version; every user must accept it at their next login.
import { readFileSync } from 'node:fs';
import { DEFAULT_TERMS, publishTerms } from '../../auth/service.ts';
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
  options: {
    'title-ja': { type: 'string' }, 'title-en': { type: 'string' },
    'body-ja-file': { type: 'string' }, 'body-en-file': { type: 'string' }, default: { type: 'boolean' },
  },
  prepare(values) {
    let terms: typeof DEFAULT_TERMS;
    if (values.default === true) {
      const mixed = TEXT_FLAGS.filter((f) => optional(values, f) !== undefined);
      if (mixed.length) throw new UsageError(`--default cannot be combined with ${mixed.map((f) => `--${f}`).join(', ')}`);
      terms = DEFAULT_TERMS;
    } else {
      terms = {
        titleJa: title(values, 'title-ja'), titleEn: title(values, 'title-en'),
        bodyJa: readBody(values, 'body-ja-file'), bodyEn: readBody(values, 'body-en-file'),
      };
    }
    return async (ctx, io) => {
      const row = await publishTerms(ctx, terms, CLI_ACTOR);
      io.out(`published terms version ${row.version} (${row.title_en} / ${row.title_ja}), id ${row.id}`);
    };
  },
};
