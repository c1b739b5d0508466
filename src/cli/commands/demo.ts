// `demo`: fills an empty database with a living portal (src/portal/demo.ts); refuses any other.
import { demoReport, fillDemo } from '../../portal/demo.ts';
import type { Command } from '../command.ts';
import { refusing } from './service.ts';

export const demoCommand: Command = {
  path: ['demo'],
  summary: 'fill an EMPTY database with a demo organisation, users, ~200 contracts, orders, notices and tickets',
  synopsis: '',
  help: [
    'Creates the schema if needed. Refuses a database that has any organisation, user or contract.',
    'Prints each demo user\'s starting guide link: no default password, 2-step setup as usual.',
    '`npm start -- --demo` does the same when the server starts on an empty database.',
  ],
  options: {},
  schema: 'migrate',
  prepare: () => async (ctx, io) => {
    const { migrateToLatest } = await import('../../db/index.ts');
    await migrateToLatest(ctx.db);
    const r = await refusing(() => fillDemo(ctx));
    for (const line of demoReport(r, ctx.config.publicUrl)) io.out(line);
  },
};
