// `npm run security:timing`: enumeration by timing (issue 10 §5). Measures login, password reset and
// identity verification for an existing, an unknown and a locked account, 200 requests each,
// interleaved, at the production argon2id parameters, and prints the medians and differences.
// Tests assert the structural cause instead (a dummy argon2id verify on the unknown path).
import type { TestContext } from 'node:test';
import { startTestApp } from '../test/helpers/app.ts';
import { Browser } from '../test/helpers/client.ts';
import { completeFirstLogin, givenUser } from '../test/helpers/scenario.ts';
import { MAX_IDENTITY_FAILURES } from '../src/auth/first-login/service.ts';

const N = Number(process.env.TIMING_N || 200);
const PW = 'Kx7#mPq2vLa9';

const cleanups: (() => unknown)[] = [];
const fakeT = { after: (fn: () => unknown) => { cleanups.push(fn); } } as unknown as TestContext;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function measure(name: string, cases: Record<string, () => Promise<unknown>>): Promise<void> {
  const names = Object.keys(cases);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < N; i++) for (const n of names) times[n]!.push(await timed(cases[n]!)); // interleaved
  const med = Object.fromEntries(names.map((n) => [n, median(times[n]!)]));
  const base = med[names[0]!]!;
  console.log(`\n${name} (${N} requests each, interleaved)`);
  for (const n of names) console.log(`  ${n.padEnd(28)} median ${med[n]!.toFixed(2).padStart(8)} ms   Δ vs ${names[0]} ${(med[n]! - base).toFixed(2).padStart(7)} ms`);
}

async function main(): Promise<void> {
  // Production argon2id parameters (config defaults), unlike the test suite's small ones.
  const app = await startTestApp('sqlite', fakeT, { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2' });
  const existing = await givenUser(app.ctx);
  await completeFirstLogin(new Browser(app.url), existing, PW);
  const locked = await givenUser(app.ctx);
  await completeFirstLogin(new Browser(app.url), locked, PW);
  const b = new Browser(app.url);
  await b.get('/login');
  const csrf = b.csrf();
  // Lock one account, and keep the others from locking (their failures are cleared each round).
  for (let i = 0; i < 6; i++) await b.post('/login', { loginId: locked.loginId, password: 'Wrong#Pass1' }, { csrf });
  const clear = (loginId: string) => app.ctx.throttle.clear(`pw:${loginId}`);
  const clearIp = () => app.ctx.throttle.clear('pwip:127.0.0.1');

  await measure('login: wrong password', {
    'existing account': async () => { await clear(existing.loginId); await clearIp(); await b.post('/login', { loginId: existing.loginId, password: 'Wrong#Pass1' }, { csrf }); },
    'unknown login ID': async () => { await clear('nobody@example.co.jp'); await clearIp(); await b.post('/login', { loginId: 'nobody@example.co.jp', password: 'Wrong#Pass1' }, { csrf }); },
    'locked account': async () => { await clearIp(); await b.post('/login', { loginId: locked.loginId, password: 'Wrong#Pass1' }, { csrf }); },
  });

  const resetForm = (loginId: string, email: string) => ({ loginId, email, name: '山田 太郎', phone: '0312345678' });
  await b.get('/password/reset');
  const resetCsrf = b.csrf();
  // Issue 14 item 12: every branch of the request — matched (mail sent or held by the cooldown),
  // wrong answer, another user's e-mail, an unknown login ID (a fresh one each time, as an
  // enumerating attacker sends them, and a repeated one), a throttled ID.
  const clearReset = (loginId: string) => Promise.all([app.ctx.throttle.clear(`reset:${loginId}`), app.ctx.throttle.clear('resetip:127.0.0.1')]);
  let fresh = 0;
  await measure('password reset request', {
    'existing account (mails)': async () => {
      await clearReset(existing.loginId);
      await app.ctx.db.deleteFrom('mail_quota').where('key', '=', `reset:${existing.id}`).execute();
      await b.post('/password/reset', resetForm(existing.loginId, existing.email), { csrf: resetCsrf });
    },
    'existing, mail held (cooldown)': async () => { await clearReset(existing.loginId); await b.post('/password/reset', resetForm(existing.loginId, existing.email), { csrf: resetCsrf }); },
    'existing, wrong e-mail': async () => { await clearReset(existing.loginId); await b.post('/password/reset', resetForm(existing.loginId, 'nobody@example.co.jp'), { csrf: resetCsrf }); },
    'existing, other user\'s mail': async () => { await clearReset(existing.loginId); await b.post('/password/reset', resetForm(existing.loginId, locked.email), { csrf: resetCsrf }); },
    'unknown login ID': async () => { await clearReset('nobody@example.co.jp'); await b.post('/password/reset', resetForm('nobody@example.co.jp', 'nobody@example.co.jp'), { csrf: resetCsrf }); },
    'unknown, fresh each time': async () => { const id = `nobody${++fresh}@example.co.jp`; await clearReset(id); await b.post('/password/reset', resetForm(id, id), { csrf: resetCsrf }); },
    'locked account': () => b.post('/password/reset', resetForm(locked.loginId, locked.email), { csrf: resetCsrf }),
  });

  // Identity verification: a live link with a wrong answer, a flow id that does not exist, a locked link.
  const freshUser = await givenUser(app.ctx);
  const lockedLinkUser = await givenUser(app.ctx);
  const open = async (setupUrl: string) => {
    const br = new Browser(app.url);
    await br.follow(await br.get(setupUrl));
    return { br, flow: br.last!.body.match(/action="(\/auth\/flows\/[^/]+)\/identity"/)![1]!, csrf: br.csrf() };
  };
  const live = await open(freshUser.setupUrl);
  const dead = await open(lockedLinkUser.setupUrl);
  for (let i = 0; i < MAX_IDENTITY_FAILURES; i++) await dead.br.post(`${dead.flow}/identity`, { email: 'x@example.com', name: 'x', phone: '0' }, { csrf: dead.csrf });
  const wrong = { email: 'x@example.com', name: 'x', phone: '0312345678' };
  const relive = () => Promise.all([
    app.ctx.db.updateTable('link_token').set({ identity_failures: 0 }).where('user_id', '=', freshUser.id).execute(),
    app.ctx.throttle.clear('idip:127.0.0.1'),
  ]);
  await measure('identity verification: wrong answer', {
    'live link': async () => { await relive(); await live.br.post(`${live.flow}/identity`, wrong, { csrf: live.csrf }); },
    // Issue 14 item 12: another user's e-mail, and the right e-mail with a wrong name, on the same link.
    'live, other user\'s e-mail': async () => { await relive(); await live.br.post(`${live.flow}/identity`, { ...wrong, email: existing.email }, { csrf: live.csrf }); },
    'live, right e-mail': async () => { await relive(); await live.br.post(`${live.flow}/identity`, { ...wrong, email: freshUser.email }, { csrf: live.csrf }); },
    'unknown flow': () => live.br.post('/auth/flows/AAAAAAAAAAAAAAAAAAAAAA/identity', wrong, { csrf: live.csrf }),
    'locked link': () => dead.br.post(`${dead.flow}/identity`, wrong, { csrf: dead.csrf }),
  });
  for (const fn of cleanups.reverse()) await fn();
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
