// Starts the portal: config, database (created and migrated), first-start bootstrap, the mail
// worker when SMTP is configured, and a draining shutdown on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { bootstrapIfEmpty } from './cli/bootstrap.ts';
import { MailWorker } from './mail/service.ts';
import { migrateToLatest, openDb } from './db/index.ts';
import { schemaFromEnv } from './cli/context.ts';

async function main(): Promise<void> {
  let config;
  let schema: string | undefined;
  try {
    config = loadConfig();
    // DATABASE_SCHEMA (PostgreSQL): the same setting the CLI reads, e.g. one throw-away schema per test run.
    schema = schemaFromEnv(process.env, config.databaseUrl);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`bizportal: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const handle = openDb(config.databaseUrl, schema ? { schema } : {});
  await migrateToLatest(handle.db);
  const { app, ctx } = await buildApp(config, { handle });
  await bootstrapIfEmpty(ctx, (line) => console.log(line));

  const worker = config.smtpUrl && config.mailWorker
    ? new MailWorker({ db: handle.db, dialect: handle.dialect, smtpUrl: config.smtpUrl, from: config.mailFrom, log: app.log })
    : null;
  worker?.start();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'draining');
    // Stop accepting, finish in-flight requests, and at the same time stop claiming mail, let the
    // batch being sent finish and give back this worker's leases; then close the pools and exit 0.
    try {
      await Promise.all([app.close(), worker?.stop()]);
      await handle.close();
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    app.log.info('drained');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  console.log(`bizportal listening on ${config.publicUrl} (database: ${handle.dialect}${config.smtpUrl ? ', SMTP delivery on' : ', mails kept in the outbox: ' + config.publicUrl + '/dev/outbox'})`);
}

main().catch((err) => {
  console.error('bizportal failed to start:', err);
  process.exit(1);
});
