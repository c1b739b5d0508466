// Issue 9 §4: hashing never starves pages. argon2id runs in a bounded pool; a login beyond
// HASH_CONCURRENCY + HASH_QUEUE_LIMIT is turned away at once with 503 + Retry-After (never a 500,
// never an unbounded queue), while pages of users already logged in keep answering.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Browser, text, type Res } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, loginAndEnrolTotp } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';
// One hash at a time and nobody waiting; parameters heavy enough that a verify takes a while.
const ENV = { HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '0', ARGON2_MEMORY_KIB: '32768', ARGON2_TIME_COST: '3', LOG_LEVEL: 'silent' };

/** A logged-in user's browser, for the page that must stay responsive. */
async function loggedIn(app: TestApp): Promise<Browser> {
  const u = await givenUser(app.ctx);
  const b = new Browser(app.url, { 'accept-language': 'en' });
  await completeFirstLogin(b, u, PW);
  const { res } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
  assert.equal(res.status, 200);
  return b;
}

function assertBusy(r: Res): void {
  assert.equal(r.status, 503);
  assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/, 'Retry-After in seconds');
  assert.match(text(r.body), /The service is busy/);
}

describe('hashing under a login flood', () => {
  it('a burst of parallel logins: some get 503 with Retry-After, none a 500, and a logged-in page stays 200', async (t) => {
    const app = await startTestApp('sqlite', t, ENV);
    const user = await loggedIn(app);
    // Unknown login IDs, one each: every login costs a (dummy) verify and no account gets locked.
    const clients = await Promise.all(Array.from({ length: 16 }, async () => {
      const b = new Browser(app.url, { 'accept-language': 'en' });
      await b.get('/login');
      return b;
    }));
    let flooding = true;
    const burst = Promise.all(clients.map((b, i) => b.post('/login', { loginId: `flood${i}@example.com`, password: 'Wrong#Pass1' })))
      .finally(() => { flooding = false; });
    const pages: number[] = [];
    do pages.push((await user.get('/')).status); while (flooding);
    const results = await burst;

    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 401 || s === 503), `only "wrong login" or "busy": ${statuses.join(',')}`);
    const busy = results.filter((r) => r.status === 503);
    assert.ok(busy.length > 0, 'beyond one running hash and an empty queue, logins are turned away');
    assert.ok(statuses.includes(401), 'the login that got the slot was checked');
    for (const r of busy) assertBusy(r);
    assert.ok(pages.length > 0 && pages.every((s) => s === 200), `pages during the flood: ${pages.join(',')}`);
  });

  it('while the only hashing slot is taken, a login is refused with 503 at once and pages answer; after, it works', async (t) => {
    const app = await startTestApp('sqlite', t, ENV);
    const user = await loggedIn(app);
    const u = await givenUser(app.ctx);
    await completeFirstLogin(new Browser(app.url), u, PW);
    let release!: () => void;
    const held = app.ctx.hashPool.run(() => new Promise<void>((r) => { release = r; }));
    t.after(() => { release(); return held; });

    const b = new Browser(app.url, { 'accept-language': 'en' });
    await b.get('/login');
    assertBusy(await b.post('/login', { loginId: u.loginId, password: PW }));
    assert.equal((await user.get('/')).status, 200);
    assert.equal((await user.get('/profile')).status, 200);
    // JSON clients get the same status and header.
    const api = await b.request('POST', '/login', JSON.stringify({ loginId: u.loginId, password: PW, _csrf: b.csrfFor() }), { 'content-type': 'application/json', accept: 'application/json' });
    assert.equal(api.status, 503);
    assert.equal(JSON.parse(api.body).error, 'common.busy');
    assert.ok(api.headers.get('retry-after'));

    release();
    await held;
    const ok = await b.post('/login', { loginId: u.loginId, password: PW }, { csrf: b.csrfFor() });
    assert.equal(ok.status, 303, 'the slot is free again: the login goes on to the second step');
  });
});
