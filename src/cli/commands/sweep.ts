// `sweep`: one housekeeping round now (src/auth/housekeeping/): deletes expired flows, sessions,
// links and mailed codes and the throttle rows of made-up login IDs, and prints the counts. For a
// cron job instead of (or besides) the server's timer (SWEEP_INTERVAL_SECONDS, docs/configuration.md).
import { sweepOnce } from '../../auth/service.ts';
// The store, not the module's index: the CLI must not load oidc-provider (it warns on Node 20).
import { sweepPayloads as sweepOidcArtefacts } from '../../oidc/store.ts';
import { sweepEndedLegacyHashes } from '../../migration/store.ts';
import { CliFailure, type Command } from '../command.ts';

export const sweepCommand: Command = {
  path: ['sweep'],
  summary: 'delete expired flows, sessions, links, mailed codes and throttle rows of unknown login IDs',
  synopsis: '',
  help: [
    'Deletes only what ended at least a day ago; safe to run at any time, on any node.',
    'On PostgreSQL one node sweeps at a time: if another is sweeping, this exits 1 and says so.',
  ],
  options: {},
  prepare() {
    return async (ctx, io) => {
      const counts = await sweepOnce(ctx.db, ctx.dialect, ctx.now(), { oidcArtefacts: sweepOidcArtefacts, legacyHashes: sweepEndedLegacyHashes });
      if (!counts) throw new CliFailure('another node is sweeping right now; nothing done');
      io.out(`deleted: ${counts.flows} flows, ${counts.sessions} sessions, ${counts.links} links, ${counts.mailOtps} mailed codes, ${counts.throttles} throttle rows of unknown login IDs, ${counts.oidcArtefacts ?? 0} expired OpenID Connect artefacts, ${counts.legacyHashes ?? 0} legacy password hashes of ended migration periods`);
    };
  },
};
