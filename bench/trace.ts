// `npm run bench:trace [-- --pg] [--counts] [--pages=/profile,…]`: every SQL statement of one full login and one home page, request
// by request (docs/performance.md, issue 19). Counts do not depend on load, so this runs on a busy
// machine too; the portal runs in this process over a fresh database with two seeded users.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import { openDb } from '../src/db/index.ts';
import { totpCodeAt, totpStep } from '../src/auth/factors/totp.ts';
import { freshDatabase } from './database.ts';
import { BENCH_PASSWORD, seedDatabase } from './seed.ts';
import { CookieJar, freePort, HttpClient } from './http-client.ts';

const pgWanted = process.argv.includes('--pg');
const verbose = !process.argv.includes('--counts');
const tempDir = mkdtempSync(join(tmpdir(), 'bizportal-trace-'));
const database = await freshDatabase(pgWanted, tempDir);
try {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: origin, DATABASE_URL: database.url, DATA_DIR: tempDir,
    LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', DEV_OUTBOX: 'false', MAIL_WORKER: 'false', TRUSTED_PROXIES: '127.0.0.1',
    SECRET_KEY: randomBytes(32).toString('hex'), TOTP_KEY: randomBytes(32).toString('hex'),
    ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1',
  });
  const [user] = await seedDatabase(database.url, 2, config.argon2, config.totpKey);
  const handle = openDb(database.url, { preparedStatements: config.dbPreparedStatements });
  let seen: string[] = [];
  handle.observeStatements((sql) => seen.push(sql.replace(/\s+/g, ' ')));
  const built = await buildApp(config, { handle });
  await built.app.listen({ port, host: '127.0.0.1' });
  const client = new HttpClient(new URL(origin), 1);
  const jar = new CookieJar();
  const h = { 'x-forwarded-for': user!.ip, 'user-agent': 'bizportal-trace/1' };
  const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
  const totals = { statements: 0, writes: 0, commits: 0 };
  const report = (label: string, status: number) => {
    const writes = seen.filter((s) => /^(insert|update|delete)\b/i.test(s)).length;
    // A write outside an explicit transaction commits on its own (on PostgreSQL: a WAL flush each).
    let commits = 0;
    let inTx = false;
    for (const s of seen) {
      if (/^begin\b/i.test(s)) inTx = true;
      else if (/^(commit|rollback)\b/i.test(s)) { inTx = false; if (/^commit/i.test(s)) commits++; }
      else if (!inTx && /^(insert|update|delete)\b/i.test(s)) commits++;
    }
    const statements = seen.filter((s) => !/^(begin|commit|rollback)\b/i.test(s)).length;
    console.log(`\n${label} → ${status}: ${statements} statements, ${writes} writes, ${commits} commits`);
    if (verbose) for (const s of seen) console.log(`  ${s.length > 220 ? `${s.slice(0, 220)}…` : s}`);
    if (!label.startsWith('GET / ')) { totals.statements += statements; totals.writes += writes; totals.commits += commits; }
    seen = [];
  };
  seen = [];
  const page = await client.request('GET', '/login', jar, h);
  report('GET /login', page.status);
  // The form's action: the flow GET /login opened (as a browser posts it).
  const action = /action="(\/auth\/flows\/[^"?]+\/credentials)/.exec(page.body)?.[1] ?? '/login';
  const pw = await client.request('POST', action, jar, h, { loginId: user!.loginId, password: BENCH_PASSWORD, _csrf: csrfOf(page.body) });
  report('POST /auth/flows/:id/credentials', pw.status);
  const totpPage = await client.request('GET', pw.location ?? '/', jar, h);
  report('GET /auth/flows/:id', totpPage.status);
  const code = totpCodeAt(user!.totpSecret, totpStep(Date.now()));
  const done = await client.request('POST', `${pw.location}/totp`, jar, h, { code, _csrf: csrfOf(totpPage.body) });
  report('POST /auth/flows/:id/totp', done.status);
  console.log(`\nfull login: ${totals.statements} statements, ${totals.writes} writes, ${totals.commits} commits`);
  const home = await client.request('GET', '/', jar, h);
  report('GET / (home, signed in)', home.status);
  // `--pages=/profile,/portal/notices`: more signed-in pages, each traced the same way.
  const more = process.argv.find((a) => a.startsWith('--pages='))?.slice('--pages='.length).split(',').filter(Boolean) ?? [];
  for (const path of more) {
    const r = await client.request('GET', path, jar, h);
    report(`GET ${path} `, r.status);
  }
  if (done.status !== 303 || home.status !== 200) process.exitCode = 1;
  client.close();
  await built.app.close();
  await handle.close();
} finally {
  await database.drop();
  rmSync(tempDir, { recursive: true, force: true });
}
