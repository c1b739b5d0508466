// `init`: brings the schema up to date and, on an empty database, creates the first organisation,
// portal admin and terms (src/auth/bootstrap.ts, the same step the server runs on first start).
import { LATEST_MIGRATION, migrateToLatest } from '../../db/index.ts';
import { bootstrapIfEmpty, ensureProviderOrganisation, providerOrgName } from '../../auth/service.ts';
import type { Command } from '../command.ts';

export const initCommand: Command = {
  path: ['init'],
  summary: 'create or migrate the database; on an empty one, create a first organisation and portal admin',
  synopsis: '',
  help: [
    'Runs every pending migration, then, if there is no organisation yet, creates one with a first',
    'portal admin, publishes the default terms and prints the admin\'s starting guide link.',
    'The first admin is taken from BOOTSTRAP_ORG, BOOTSTRAP_ADMIN_EMAIL, BOOTSTRAP_ADMIN_NAME and',
    'BOOTSTRAP_ADMIN_PHONE (defaults: Example Corporation, admin@example.com). Safe to run again.',
    'Also creates the provider\'s own organisation, where operators live, if there is none yet',
    '(BOOTSTRAP_PROVIDER_ORG, default Provider); see \'bizportal operator\'.',
  ],
  options: {},
  schema: 'migrate',
  prepare: () => async (ctx, io) => {
    await migrateToLatest(ctx.db);
    io.out(`database is up to date (${ctx.dialect}, migration ${LATEST_MIGRATION})`);
    const created = await bootstrapIfEmpty(ctx, (line) => io.out(line));
    if (!created) io.out('users exist already: nothing bootstrapped');
    // Issue 26: a database bootstrapped before operators existed gets its provider organisation here, once.
    const provider = await ensureProviderOrganisation(ctx, providerOrgName(), { userId: null, ip: 'cli' });
    if (provider.created) io.out(`created the provider organisation "${provider.org.name}" (${provider.org.id})`);
  },
};
