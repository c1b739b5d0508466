// Starts the portal: config, database (created and migrated), first-start bootstrap, the mail
// worker when SMTP is configured, and a draining shutdown on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { bootstrapIfEmpty } from './cli/bootstrap.ts';
import { MailWorker } from './mail/service.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`bizportal: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const { app, ctx, handle } = await buildApp(config);
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
    // Stop accepting, finish in-flight requests, release outbox leases, exit 0.
    await app.close();
    await worker?.stop();
    await handle.close();
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
