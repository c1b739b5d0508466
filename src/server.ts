// Starts the portal: config, the port, database (created and migrated), first-start bootstrap, the
// mail worker when SMTP is configured, and a bounded draining shutdown on SIGTERM/SIGINT.
// A start that cannot go on prints ONE line naming the setting and what to do, never a secret and
// never a stack: exit 2 for a setting to fix, exit 1 for anything else (issue 15 §5–6).
// Only the configuration is imported up front: a bad setting is reported before the app loads.
import { createServer } from 'node:net';
import { ConfigError, databaseSchema, loadConfig, redactSecrets, type Config } from './config.ts';

const EXIT_FAILURE = 1;
const EXIT_CONFIG = 2;

/** A start-up problem an operator fixes in the settings: reported as one line, exit 2. */
class SettingError extends Error {}

function fail(line: string, code: number): never {
  console.error(`bizportal: ${redactSecrets(line).replace(/\s*\n\s*/g, ' ')}`);
  process.exit(code);
}

/** PORT and HOST are checked before anything else is touched (migrations, bootstrap, mail worker). */
async function checkListenable(config: Config): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new SettingError(`PORT ${config.port} is already in use on ${config.host}: stop the other process or set another PORT`));
      else if (err.code === 'EACCES') reject(new SettingError(`PORT ${config.port} needs privileges on this machine: use a port above 1023 (and a proxy in front)`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') reject(new SettingError(`HOST ${config.host} is not an address of this machine: use e.g. 0.0.0.0, 127.0.0.1 or localhost`));
      else reject(err);
    });
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  let config: Config;
  let schema: string | undefined;
  try {
    config = loadConfig();
    // DATABASE_SCHEMA (PostgreSQL): the same setting the CLI reads, e.g. one throw-away schema per test run.
    schema = databaseSchema(process.env, config.databaseUrl);
    await checkListenable(config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SettingError) fail(`configuration error: ${err.message}`, EXIT_CONFIG);
    throw err;
  }

  const { openDb, migrateToLatest, databaseStartupProblem, schemaExists } = await import('./db/index.ts');
  let handle: ReturnType<typeof openDb>;
  try {
    handle = openDb(config.databaseUrl, { preparedStatements: config.dbPreparedStatements, ...(schema ? { schema } : {}) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fail(`configuration error: DATABASE_URL: cannot open the SQLite file (${e.code ?? e.message}): check the path and its permissions (DATA_DIR, DATABASE_URL)`, EXIT_CONFIG);
  }
  try {
    if (schema && !(await schemaExists(handle.db, schema))) {
      throw new SettingError(`DATABASE_SCHEMA "${schema}" does not exist in the database: create it first (create schema ${schema}) or unset DATABASE_SCHEMA`);
    }
    await migrateToLatest(handle.db);
  } catch (err) {
    await handle.close().catch(() => {});
    if (err instanceof SettingError) fail(`configuration error: ${err.message}`, EXIT_CONFIG);
    const problem = databaseStartupProblem(err);
    if (problem) fail(problem.line, problem.setting ? EXIT_CONFIG : EXIT_FAILURE);
    throw err;
  }

  const { buildApp } = await import('./app.ts');
  const { bootstrapIfEmpty } = await import('./auth/service.ts');
  const { MailWorker } = await import('./mail/service.ts');
  const lifecycle = { draining: false };
  const { app, ctx } = await buildApp(config, { handle, lifecycle });
  try {
    // `npm start -- --demo`: an empty database gets the demo portal instead of the bare first admin.
    if (process.argv.includes('--demo')) {
      const { demoRefusal, demoReport, fillDemo } = await import('./portal/demo.ts');
      const refusal = await demoRefusal(ctx);
      if (refusal) console.log(`demo: not filled: ${refusal}; starting with the data as it is`);
      else for (const line of demoReport(await fillDemo(ctx), config.publicUrl)) console.log(line);
    }
    await bootstrapIfEmpty(ctx, (line) => console.log(line));
    // Issue 18: the OpenID Connect provider's first signing key, made (sealed) on the first start.
    const { signingKeys } = await import('./oidc/keys.ts');
    await signingKeys(ctx);
  } catch (err) {
    const line = await bootstrapProblem(err);
    await app.close().catch(() => {});
    await handle.close().catch(() => {});
    if (line) fail(line, EXIT_CONFIG);
    throw err;
  }

  const worker = config.smtpUrl && config.mailWorker
    ? new MailWorker({ db: handle.db, dialect: handle.dialect, smtpUrl: config.smtpUrl, from: config.mailFrom, retryBaseMs: config.mailRetryBaseMs, log: app.log })
    : null;
  // Issue 24 item 6: webhook deliveries, on every node unless WEBHOOK_WORKER=false (docs/api.md).
  const { WebhookWorker } = await import('./api/worker.ts');
  const webhooks = config.webhookWorker
    ? new WebhookWorker({ db: handle.db, dialect: handle.dialect, keyRing: config.totpKeyRing, allowLoopback: config.webhookAllowLoopback, retryBaseMs: config.webhookRetryBaseMs, log: app.log })
    : null;

  // Issue 24 item 2: maintenance reminders, on every node unless REMINDER_WORKER=false; a row per
  // reminder sent decides which node sends it (src/portal/notices/reminders.ts).
  const { ReminderWorker } = await import('./portal/notices/reminders.ts');
  const reminders = config.reminderWorker
    ? new ReminderWorker({ db: handle.db, clock: ctx.now, log: app.log, setting: { publicUrl: config.publicUrl, mailFrom: config.mailFrom, secretKey: config.secretKey } })
    : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const started = Date.now();
    // 1. /readyz turns red at once and every answer closes its connection, while the node still
    //    serves for SHUTDOWN_DELAY_MS: the load balancer sees it go and sends nothing new.
    lifecycle.draining = true;
    app.log.info({ signal, delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs }, 'draining');
    // The whole drain is bounded: past SHUTDOWN_TIMEOUT_MS what is left is cut and the process ends.
    const hard = setTimeout(() => {
      app.log.warn({ afterMs: Date.now() - started }, 'drain timed out: closing the remaining connections');
      app.server.closeAllConnections();
      setTimeout(() => process.exit(EXIT_FAILURE), 200).unref();
    }, config.shutdownTimeoutMs);
    hard.unref();
    await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
    // 2. Stop listening; idle keep-alive connections close at once (Fastify's forceCloseConnections
    //    'idle'); requests in flight are answered. Meanwhile the mail worker stops claiming, lets its
    //    batch finish and gives back its leases. Then the pools close and the process exits 0.
    try {
      const closed = app.close();
      app.server.closeIdleConnections();
      await Promise.all([closed, worker?.stop(), webhooks?.stop(), reminders?.stop()]);
      await handle.close();
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(EXIT_FAILURE);
    }
    clearTimeout(hard);
    app.log.info({ tookMs: Date.now() - started }, 'drained');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Taken between the check and now (another process was quicker).
    await handle.close().catch(() => {});
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`configuration error: PORT ${config.port} is already in use on ${config.host}: stop the other process or set another PORT`, EXIT_CONFIG);
    throw err;
  }
  worker?.start();
  // Issue 24: replies by mail to tickets, where this node takes them (docs/tickets.md).
  if (config.inboundMail.port !== null) {
    const { startInboundMail } = await import('./portal/tickets/inbound-mail.ts');
    const inbound = await startInboundMail(ctx, { port: config.inboundMail.port, host: config.inboundMail.host });
    process.once('SIGTERM', () => void inbound.close());
    app.log.info({ port: inbound.port, domain: config.inboundMail.domain }, 'ticket replies by mail: listening');
  }
  webhooks?.start();
  reminders?.start();
  console.log(`bizportal listening on ${config.publicUrl} (database: ${handle.dialect}${config.smtpUrl ? ', SMTP delivery on' : ', mails kept in the outbox: ' + config.publicUrl + '/dev/outbox'})`);
}

/** A bad BOOTSTRAP_* value (the first admin's details) as one line naming the setting. */
async function bootstrapProblem(err: unknown): Promise<string | null> {
  const { DomainError } = await import('./errors.ts');
  if (!(err instanceof DomainError)) return null;
  const { translator } = await import('./messages.ts');
  const t = translator('en');
  const names: Record<string, string> = { email: 'BOOTSTRAP_ADMIN_EMAIL', loginId: 'BOOTSTRAP_ADMIN_EMAIL', name: 'BOOTSTRAP_ADMIN_NAME', phone: 'BOOTSTRAP_ADMIN_PHONE', organisationName: 'BOOTSTRAP_ORG' };
  const fields = Object.entries(err.fields);
  const what = fields.length
    ? fields.map(([f, ps]) => `${names[f] ?? f}: ${ps.map((p) => t(p.key, p.params)).join(' ')}`).join('; ')
    : t(err.code, err.params);
  return `configuration error: the first administrator could not be created from the BOOTSTRAP_* settings: ${what}`;
}

main().catch((err: unknown) => {
  // Anything unforeseen: still one line, with the error's own words and no secret.
  const e = err as Error & { code?: string };
  fail(`failed to start: ${e?.message || e?.code || String(err)}${e?.code && !String(e.message).includes(e.code) ? ` (${e.code})` : ''}`, EXIT_FAILURE);
});
