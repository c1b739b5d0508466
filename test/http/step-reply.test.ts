// Issue 15 §8: a 2-step login answers once. The step helper used to redirect after a step that had
// already answered (applyLoginNext), which Fastify logs as "Reply was already sent" with a stack.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startTestApp } from '../helpers/app.ts';
import { Browser } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9';

describe('2-step login replies', () => {
  it('a TOTP enrolment and a TOTP login log no warning or error', async (t) => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
    const app = await startTestApp('sqlite', t, { LOG_LEVEL: 'warn' }, { logStream: stream });
    const u = await givenUser(app.ctx);
    const b = new Browser(app.url);
    await completeFirstLogin(b, u, PW);
    const { secret, res } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
    assert.equal(res.status, 200);
    app.clock.advance(60_000);
    const again = new Browser(app.url);
    await again.get('/login');
    const page = await again.follow(await again.post('/login', { loginId: u.loginId, password: PW }));
    const flow = /action="(\/auth\/flows\/[^/"]+)\/totp"/.exec(page.body)![1]!;
    const done = await again.post(`${flow}/totp`, { code: independentTotp(secret, app.clock.now) });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/');
    assert.deepEqual(lines.filter((l) => /already sent|"level":(40|50)/.test(l)), []);
  });
});
