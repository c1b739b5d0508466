// SECURITY.md item 35 / issue 9 §3: structured logs with a request id, and never a password, OTP,
// token, cookie or TOTP secret in any line. A full first login, a TOTP login, a backup-code login
// and a few hostile requests run against a server whose log lines are captured at the most verbose
// level; every secret the test knows must be absent from all of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startTestApp } from '../helpers/app.ts';
import { Browser, formAction } from '../helpers/client.ts';
import { completeFirstLogin, givenUser, independentTotp, loginAndEnrolTotp } from '../helpers/scenario.ts';

const PW = 'Kx7#mPq2vLa9-redaction';
const WRONG_PW = 'Wr0ng#Secret-99-redaction';
const STEP = 30_000;

function captured(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  let buf = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
      done();
    },
  });
  return { stream, lines };
}

/** A short numeric secret matches only as a whole token (a timestamp may contain any 6 digits). */
function appearsIn(line: string, secret: string): boolean {
  if (/^\d{6,8}$/.test(secret)) return new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`).test(line);
  return line.includes(secret);
}

describe('log redaction', () => {
  it('no secret of a full login appears in any log line', async (t) => {
    const log = captured();
    const app = await startTestApp('sqlite', t, { LOG_LEVEL: 'trace' }, { logStream: log.stream });
    const secrets = new Map<string, string>();   // value → what it is
    const keep = (what: string, value: string | undefined) => { if (value) secrets.set(value, what); };
    const cookies = (b: Browser) => { for (const [name, value] of b.jar) if (name !== 'bp_lang') keep(`cookie ${name}`, value); };

    // S2 first login from the mailed link, then TOTP enrolment with backup codes (S3).
    const u = await givenUser(app.ctx);
    keep('setup token', new URL(u.setupUrl).pathname.split('/').pop());
    keep('password', PW);
    const b = new Browser(app.url);
    await completeFirstLogin(b, u, PW);
    const csrfFirst = b.csrfFor();
    const { secret, backupCodes } = await loginAndEnrolTotp(b, u, PW, app.clock.now);
    keep('TOTP secret', secret);
    keep('TOTP secret (grouped)', secret.match(/.{4}/g)!.join(' '));
    keep('TOTP code (enrolment)', independentTotp(secret, app.clock.now));
    for (const c of backupCodes) keep('backup code', c);
    keep('CSRF token', csrfFirst);
    cookies(b);
    assert.equal(backupCodes.length, 10);

    // A TOTP login with a wrong password first, a wrong code, then the right one.
    app.clock.advance(2 * STEP);
    const b2 = new Browser(app.url);
    await b2.get('/login');
    keep('wrong password', WRONG_PW);
    assert.equal((await b2.post('/login', { loginId: u.loginId, password: WRONG_PW })).status, 401);
    const totpPage = await b2.follow(await b2.post('/login', { loginId: u.loginId, password: PW }));
    const totpAction = formAction(totpPage.body, '/totp');
    const wrongCode = independentTotp(secret, app.clock.now, 5);
    keep('wrong TOTP code', wrongCode);
    assert.equal((await b2.post(totpAction, { code: wrongCode })).status, 400);
    const code = independentTotp(secret, app.clock.now);
    keep('TOTP code', code);
    assert.equal((await b2.post(totpAction, { code })).status, 303);
    keep('CSRF token', b2.csrfFor());
    cookies(b2);
    assert.equal((await b2.get('/profile')).status, 200);

    // A backup-code login.
    app.clock.advance(2 * STEP);
    const b3 = new Browser(app.url);
    await b3.get('/login');
    const page3 = await b3.follow(await b3.post('/login', { loginId: u.loginId, password: PW }));
    const used = await b3.post(formAction(page3.body, '/backup-code'), { backupCode: backupCodes[0]! });
    assert.equal(used.status, 303);
    cookies(b3);

    // Hostile or careless clients: secrets in headers, the query string and a JSON body.
    const bearer = 'Bearer-secret-0123456789abcdef';
    keep('authorization header', bearer);
    keep('x-csrf-token header', 'f'.repeat(63) + 'e');
    keep('query token', 'q-token-0123456789abcdef');
    await b3.get('/login?token=q-token-0123456789abcdef&code=q-token-0123456789abcdef', { authorization: `Bearer ${bearer}`, 'x-csrf-token': 'f'.repeat(63) + 'e' });
    await b3.request('POST', '/login', JSON.stringify({ loginId: u.loginId, password: PW, token: 'q-token-0123456789abcdef' }), { 'content-type': 'application/json', accept: 'application/json' });
    await b3.get(`/setup/${new URL(u.setupUrl).pathname.split('/').pop()}`);
    await b3.get(`/password/reset/${'r'.repeat(20)}-reset-token-secret`);
    keep('reset token', `${'r'.repeat(20)}-reset-token-secret`);

    // Logs were written, are JSON, carry a request id, and show the link path without its token.
    assert.ok(log.lines.length > 50, `${log.lines.length} log lines`);
    const parsed = log.lines.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; req?: { url?: string } });
    const incoming = parsed.filter((l) => l.msg === 'incoming request');
    assert.ok(incoming.length > 20);
    assert.ok(incoming.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0), 'every request line has a request id');
    assert.ok(incoming.some((l) => l.req?.url === '/setup/[redacted]'));
    assert.ok(incoming.some((l) => l.req?.url === '/password/reset/[redacted]'));

    const leaks: string[] = [];
    for (const line of log.lines) {
      for (const [value, what] of secrets) if (appearsIn(line, value)) leaks.push(`${what} in: ${line.slice(0, 300)}`);
    }
    assert.deepEqual(leaks, []);
  });
});
