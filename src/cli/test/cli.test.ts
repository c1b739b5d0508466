// The operator CLI end to end, in-process through runCli, on a SQLite file and on a PostgreSQL
// schema (DATABASE_SCHEMA): registration prints a working setup link and queues the starting guide
// (S1), a re-send supersedes the old link, terms are published (S6); bad input is one line on
// stderr with a non-zero exit and leaves the database as it was. One test runs the real binary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PG_URL, testDialects } from '../../../test/helpers/db.ts';
import { sha256Hex } from '../../lib/index.ts';
import type { CliEnv } from '../main.ts';
import { PUBLIC_URL, cli, inspect, operatorEnv, type Result } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function counts(env: CliEnv): Promise<{ users: number; orgs: number; mails: number; links: number }> {
  return inspect(env, async (db) => {
    const n = async (table: 'app_user' | 'organisation' | 'mail_outbox' | 'link_token') =>
      Number((await db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await n('app_user'), orgs: await n('organisation'), mails: await n('mail_outbox'), links: await n('link_token') };
  });
}

function setupLink(r: Result): string {
  const m = /^setup link: (\S+)$/m.exec(r.out.join('\n'));
  assert.ok(m, `a setup link in: ${r.out.join('\n')}`);
  return m[1]!;
}

/** A refusal: non-zero exit, nothing on stdout, exactly one stderr line, no stack trace. */
function assertRefused(r: Result, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.err.join('\n')}`);
  assert.deepEqual(r.out, []);
  assert.equal(r.err.length, 1, `one line: ${r.err.join('\n')}`);
  assert.match(r.err[0]!, message);
  assert.doesNotMatch(r.err[0]!, /\n|\bat .+:\d+:\d+/);
}

describe('operator CLI: the database cannot be used', () => {
  it('names the connection error (issue 15 §7), never "run bizportal init"', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'bizportal-cli-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const base: CliEnv = { NODE_ENV: 'test', DATA_DIR: dir, PUBLIC_URL };
    const down = await cli({ ...base, DATABASE_URL: 'postgres://postgres:Secr3tPw@127.0.0.1:1/postgres' }, 'org', 'list');
    assertRefused(down, 1, /cannot reach the database \(connect ECONNREFUSED 127\.0\.0\.1:1\).*DATABASE_URL/);
    assert.doesNotMatch(down.err[0]!, /init|Secr3tPw/);
    const noDb = await cli({ ...base, DATABASE_URL: `${PG_URL.replace(/\/[^/]*$/, '')}/bizportal_no_such_db` }, 'org', 'list');
    assertRefused(noDb, 2, /DATABASE_URL.*bizportal_no_such_db.*does not exist/);
    assert.doesNotMatch(noDb.err[0]!, /init/);
  });
});

describe('operator CLI: keys rotate-totp', () => {
  it('goes over every secret sealed at rest, not only the TOTP secrets, and says when nothing is left', async (t) => {
    const env = await operatorEnv('sqlite', t);
    assert.equal((await cli(env, 'init')).code, 0);
    const r = await cli(env, 'keys', 'rotate-totp', '--batch', '5');
    assert.equal(r.code, 0, r.err.join('\n'));
    const out = r.out.join('\n');
    for (const name of ['TOTP secrets', 'matrix passwords', 'OpenID Connect signing keys', 'OpenID Connect client secrets', 'webhook keys']) {
      assert.match(out, new RegExp(`^${name}: \\d+ re-encrypted, 0 remaining$`, 'm'), name);
    }
    assert.match(out, /done: nothing is left under another key/);
    assertRefused(await cli(env, 'keys', 'rotate-totp', '--batch', '0'), 2, /--batch/);
  });
});

describe('operator CLI: outbox list', () => {
  it('shows each mail\'s last delivery error (issue 15 §10)', async (t) => {
    const env = await operatorEnv('sqlite', t);
    assert.equal((await cli(env, 'init')).code, 0);
    await inspect(env, (db) => db.updateTable('mail_outbox').set({ state: 'dead', attempts: 8, last_error: 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:25' }).execute());
    const dead = await cli(env, 'outbox', 'list', '--state', 'dead');
    assert.equal(dead.code, 0, dead.err.join('\n'));
    assert.match(dead.out[0]!, /LAST ERROR/);
    assert.ok(dead.out.some((l) => /dead\s+8\s+starting_guide.*ECONNREFUSED connect ECONNREFUSED 127\.0\.0\.1:25/.test(l)), dead.out.join('\n'));
  });
});

for (const dialect of testDialects()) {
  describe(`${dialect}: operator CLI`, () => {
    it('creates an organisation and a user whose setup link is printed and queued; resend supersedes it; terms publish', async (t) => {
      const env = await operatorEnv(dialect, t);
      assertRefused(await cli(env, 'org', 'list'), 1, /not initialised.*bizportal init/);

      const init = await cli(env, 'init');
      assert.equal(init.code, 0, init.err.join('\n'));
      assert.match(init.out.join('\n'), /First start: created organisation and portal admin/);
      assert.match((await cli(env, 'init')).out.join('\n'), /nothing bootstrapped/);

      const org = await cli(env, 'org', 'create', '--name', '山田商事株式会社', '--kind', 'partner');
      assert.equal(org.code, 0, org.err.join('\n'));
      assert.equal(org.out.length, 1);
      const orgId = org.out[0]!;
      assert.match(orgId, /^[A-Za-z0-9_-]{22}$/);
      const child = await cli(env, 'org', 'create', '--name', 'Child KK', '--kind', 'child', `--parent=${orgId}`);
      assert.equal(child.code, 0, child.err.join('\n'));
      const list = (await cli(env, 'org', 'list')).out.join('\n');
      assert.match(list, new RegExp(`${orgId}\\s+partner\\s+business\\s+-\\s+山田商事株式会社`));
      assert.match(list, new RegExp(`${child.out[0]}\\s+child\\s+partner-child\\s+${orgId}\\s+Child KK`));

      const created = await cli(env, 'user', 'create', `--org=${orgId}`, '--email', 'yamada@example.co.jp',
        '--name', '山田 太郎', '--phone', '03-1234-5678', '--role', 'admin');
      assert.equal(created.code, 0, created.err.join('\n'));
      assert.match(created.out.join('\n'), /^login id: +yamada@example\.co\.jp$/m);
      const firstLink = setupLink(created);
      assert.ok(firstLink.startsWith(`${PUBLIC_URL}/setup/`), firstLink);

      const outbox = await cli(env, 'outbox', 'list');
      assert.equal(outbox.code, 0);
      assert.ok(outbox.out.some((l) => /queued\s+0\s+starting_guide\s+yamada@example\.co\.jp\s+\S/.test(l)), outbox.out.join('\n'));
      const body = await cli(env, 'outbox', 'list', '--body', '--limit', '1');
      assert.match(body.out.join('\n'), /^To: yamada@example\.co\.jp$/m);
      assert.ok(body.out.includes(firstLink), 'the queued mail carries the printed link');

      const resent = await cli(env, 'user', 'resend-guide', '--login-id', 'yamada@example.co.jp');
      assert.equal(resent.code, 0, resent.err.join('\n'));
      const secondLink = setupLink(resent);
      assert.notEqual(secondLink, firstLink);
      assert.ok((await cli(env, 'outbox', 'list', '--body', '--limit', '1')).out.includes(secondLink));
      const links = await inspect(env, (db) => db.selectFrom('link_token').innerJoin('app_user', 'app_user.id', 'link_token.user_id')
        .select(['token_hash', 'superseded_at', 'used_at']).where('app_user.login_id', '=', 'yamada@example.co.jp').execute());
      const tokenHash = (link: string) => sha256Hex(link.slice(link.lastIndexOf('/') + 1));
      assert.equal(links.length, 2);
      assert.notEqual(links.find((l) => l.token_hash === tokenHash(firstLink))?.superseded_at ?? null, null, 'the first link is superseded');
      assert.equal(links.find((l) => l.token_hash === tokenHash(secondLink))?.superseded_at, null, 'the new link is live');
      const guides = (await cli(env, 'outbox', 'list', '--state', 'queued')).out.filter((l) => l.includes('yamada@example.co.jp'));
      assert.equal(guides.length, 2);

      const terms = await cli(env, 'terms', 'publish', '--default');
      assert.equal(terms.code, 0, terms.err.join('\n'));
      assert.match(terms.out[0]!, /^published terms version 2 \(\{portal\} Terms \/ \{portal\}規約\)/);   // init published version 1
      const dir = env.DATA_DIR!;
      writeFileSync(join(dir, 'ja.txt'), '\uFEFF第1条 本規約は…');
      writeFileSync(join(dir, 'en.txt'), 'Article 1. These terms…');
      const own = await cli(env, 'terms', 'publish', '--title-ja', '利用規約', '--title-en', 'Terms of Use',
        '--body-ja-file', join(dir, 'ja.txt'), '--body-en-file', join(dir, 'en.txt'));
      assert.equal(own.code, 0, own.err.join('\n'));
      assert.match(own.out[0]!, /^published terms version 3 \(Terms of Use \/ 利用規約\)/);
      const v3 = await inspect(env, (db) => db.selectFrom('terms_version').select(['body_ja', 'body_en']).where('version', '=', 3).executeTakeFirstOrThrow());
      assert.deepEqual(v3, { body_ja: '第1条 本規約は…', body_en: 'Article 1. These terms…' });
    });

    it('refuses bad input with one clear line and a non-zero exit, writing nothing', async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const orgId = (await cli(env, 'org', 'create', '--name', 'Acme', '--kind', 'direct')).out[0]!;
      const user = ['user', 'create', `--org=${orgId}`, '--name', 'Taro Yamada', '--phone', '0312345678', '--role', 'general'];
      assert.equal((await cli(env, ...user, '--email', 'taken@example.com')).code, 0);
      const before = await counts(env);

      assertRefused(await cli(env, 'frobnicate'), 2, /^error: unknown command "frobnicate"/);
      assertRefused(await cli(env, 'org', 'rename'), 2, /^error: unknown command "org rename"; org commands: create, list/);
      assertRefused(await cli(env), 2, /^error: missing command/);
      assertRefused(await cli(env, ...user), 2, /^error: missing --email \(see 'bizportal user create --help'\)$/);
      assertRefused(await cli(env, ...user, '--email'), 2, /^error: --email needs a value/);
      assertRefused(await cli(env, ...user, '--email', 'x@example.com', '--colour', 'red'), 2, /^error: unknown option --colour/);
      assertRefused(await cli(env, ...user, '--email', 'x@example.com', '--role', 'root'), 2, /--role must be one of admin, general/);
      assertRefused(await cli(env, ...user, '--email', 'not-an-address'), 1, /^error: --email: Enter a plain e-mail address/);
      assertRefused(await cli(env, ...user, '--email', 'victim@example.com(x)evil.example'), 1, /^error: --email: Enter a plain e-mail address/);
      assertRefused(await cli(env, ...user, '--email', 'taken@example.com'), 1, /^error: --login-id: This login ID cannot be used\. Choose another login ID\.$/);
      assertRefused(await cli(env, ...user, '--email', 'new@example.com', '--login-id', 'taken@example.com'), 1, /Choose another login ID/);
      assertRefused(await cli(env, ...user, '--email', 'new@example.com', '--login-id', 'ＴＡＫＥＮ@example.com'), 1, /Choose another login ID/);
      assertRefused(await cli(env, ...user, '--email', 'new@example.com', '--login-id', 'tаken@example.com'), 1, /no Cyrillic or Greek/);
      assertRefused(await cli(env, 'user', 'create', '--org', 'no-such-org', '--email', 'x@example.com', '--name', 'X', '--phone', '0312345678', '--role', 'admin'),
        1, /^error: no organisation with id "no-such-org"/);
      assertRefused(await cli(env, 'org', 'create', '--name', 'Kid', '--kind', 'child'), 2, /--kind child needs --parent/);
      assertRefused(await cli(env, 'org', 'create', '--name', 'Kid', '--kind', 'child', `--parent=${orgId}`), 1, /^error: --parent: The parent must be a partner organisation \("Acme" is direct\)/);
      assertRefused(await cli(env, 'user', 'resend-guide', '--login-id', 'nobody'), 1, /^error: no user with login ID "nobody"$/);
      assertRefused(await cli(env, 'terms', 'publish', '--default', '--title-en', 'X'), 2, /--default cannot be combined with --title-en/);
      assertRefused(await cli(env, 'terms', 'publish', '--title-ja', 'A', '--title-en', 'B', '--body-ja-file', '/nonexistent/ja.txt', '--body-en-file', '/nonexistent/en.txt'),
        2, /cannot read --body-ja-file "\/nonexistent\/ja\.txt" \(ENOENT\)/);
      assertRefused(await cli(env, 'outbox', 'list', '--state', 'lost'), 2, /--state must be one of queued, sent, dead/);
      assertRefused(await cli(env, 'outbox', 'list', '--limit', 'ten'), 2, /--limit must be an integer from 1 to 1000/);
      assertRefused(await cli({ ...env, DATABASE_URL: 'mysql://localhost/portal' }, 'org', 'list'), 2, /^error: configuration: DATABASE_URL/);

      assert.deepEqual(await counts(env), before);
    });

    it('issue 16 §5: every password policy preset can be chosen per organisation (org create / org set --password-policy)', async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const policyOf = (id: string) => inspect(env, async (db) => (await db.selectFrom('organisation').select('password_policy').where('id', '=', id).executeTakeFirstOrThrow()).password_policy);
      for (const policy of ['business', 'partner-child', 'legacy6', 'nist']) {
        const made = await cli(env, 'org', 'create', '--name', `Org ${policy}`, '--kind', 'direct', '--password-policy', policy);
        assert.equal(made.code, 0, made.err.join('\n'));
        assert.equal(await policyOf(made.out[0]!), policy);
      }
      const plain = (await cli(env, 'org', 'create', '--name', 'Plain', '--kind', 'direct')).out[0]!;
      assert.equal(await policyOf(plain), null, 'no choice: the profile\'s own policy');
      for (const policy of ['legacy6', 'nist']) {
        const set = await cli(env, 'org', 'set', '--id', plain, '--password-policy', policy);
        assert.equal(set.code, 0, set.err.join('\n'));
        assert.match(set.out.join('\n'), new RegExp(`password policy: ${policy}`));
        assert.equal(await policyOf(plain), policy);
      }
      assert.equal((await cli(env, 'org', 'set', '--id', plain, '--password-policy', 'profile')).code, 0);
      assert.equal(await policyOf(plain), null, '"profile" goes back to the profile\'s policy');
      assertRefused(await cli(env, 'org', 'create', '--name', 'X', '--kind', 'direct', '--password-policy', 'weak'), 2, /--password-policy must be one of business, partner-child, legacy6, nist/);
      assertRefused(await cli(env, 'org', 'set', '--id', 'nope', '--password-policy', 'nist'), 1, /no organisation with id "nope"/);
      assertRefused(await cli(env, 'org', 'set', '--id', plain), 2, /nothing to change/);
    });

    it('issue 20 item 9: org set changes the name and the 2-step switches, audited; bad values change nothing', async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const id = (await cli(env, 'org', 'create', '--name', 'Before', '--kind', 'direct')).out[0]!;
      const row = () => inspect(env, (db) => db.selectFrom('organisation').select(['name', 'trusted_browsers_enabled_at', 'mail_otp_disabled_at']).where('id', '=', id).executeTakeFirstOrThrow());
      const set = await cli(env, 'org', 'set', '--id', id, '--name', '  After Ltd ', '--trusted-browsers', 'on', '--mail-otp', 'off');
      assert.equal(set.code, 0, set.err.join('\n'));
      assert.match(set.out.join('\n'), /\(After Ltd\).*trusted browsers: on, MailOTP: off/);
      const on = await row();
      assert.equal(on.name, 'After Ltd');
      assert.ok(on.trusted_browsers_enabled_at !== null && on.mail_otp_disabled_at !== null);
      // Asking for the state it is already in keeps the time it was switched.
      assert.equal((await cli(env, 'org', 'set', '--id', id, '--trusted-browsers', 'on')).code, 0);
      assert.equal((await row()).trusted_browsers_enabled_at, on.trusted_browsers_enabled_at);
      assert.equal((await cli(env, 'org', 'set', '--id', id, '--trusted-browsers', 'off', '--mail-otp', 'on')).code, 0);
      assert.deepEqual(await row(), { name: 'After Ltd', trusted_browsers_enabled_at: null, mail_otp_disabled_at: null });
      const audited = await inspect(env, (db) => db.selectFrom('audit_log').select(['detail']).where('event', '=', 'org.settings_changed').where('organisation_id', '=', id).execute());
      assert.equal(audited.length, 3);
      assert.ok(audited.some((a) => a.detail.includes('"name":"After Ltd"') && a.detail.includes('"via":"cli"')), JSON.stringify(audited));
      const before = await row();
      assertRefused(await cli(env, 'org', 'set', '--id', id, '--mail-otp', 'maybe'), 2, /--mail-otp must be one of on, off \(got "maybe"\)/);
      assertRefused(await cli(env, 'org', 'set', '--id', id, '--name', '   '), 2, /--name must be 1 to 200 characters/);
      assertRefused(await cli(env, 'org', 'set', '--id', id, '--name', 'x'.repeat(201)), 2, /--name must be 1 to 200 characters/);
      assert.deepEqual(await row(), before, 'a refused change changes nothing');
    });

    it('issue 22: org set --first-factor matrix|password switches the first factor, audited; a bad value changes nothing', async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const id = (await cli(env, 'org', 'create', '--name', 'Matrix Ltd', '--kind', 'direct')).out[0]!;
      const factor = async () => (await inspect(env, (db) => db.selectFrom('organisation').select('first_factor').where('id', '=', id).executeTakeFirstOrThrow())).first_factor;
      assert.equal(await factor(), null);
      const set = await cli(env, 'org', 'set', '--id', id, '--first-factor', 'matrix');
      assert.equal(set.code, 0, set.err.join('\n'));
      assert.match(set.out.join('\n'), /first factor: matrix/);
      assert.equal(await factor(), 'matrix');
      assertRefused(await cli(env, 'org', 'set', '--id', id, '--first-factor', 'pin'), 2, /--first-factor must be one of password, matrix/);
      assert.equal(await factor(), 'matrix');
      assert.equal((await cli(env, 'org', 'set', '--id', id, '--first-factor', 'password')).code, 0);
      assert.equal(await factor(), null);
      const audited = await inspect(env, (db) => db.selectFrom('audit_log').select(['detail']).where('event', '=', 'org.settings_changed').where('organisation_id', '=', id).execute());
      assert.equal(audited.filter((a) => a.detail.includes('"firstFactor":"matrix"')).length, 1);
    });

    it('issue 23: org set --passkeys, --passkey-signin and --passkey-aaguids, audited; bad values change nothing', async (t) => {
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const id = (await cli(env, 'org', 'create', '--name', 'Passkey Ltd', '--kind', 'direct')).out[0]!;
      const row = async () => inspect(env, (db) => db.selectFrom('organisation').select(['passkey_policy', 'passkey_signin_enabled_at', 'passkey_aaguids']).where('id', '=', id).executeTakeFirstOrThrow());
      const set = await cli(env, 'org', 'set', '--id', id, '--passkeys', 'off', '--passkey-signin', 'on', '--passkey-aaguids', 'CB69481E-8FF7-4039-93EC-0A2729A154A8');
      assert.equal(set.code, 0, set.err.join('\n'));
      assert.match(set.out.join('\n'), /passkeys: off, passkey sign-in: on, AAGUIDs: cb69481e-8ff7-4039-93ec-0a2729a154a8/);
      const r = await row();
      assert.equal(r.passkey_policy, 'off');
      assert.ok(r.passkey_signin_enabled_at !== null);
      assertRefused(await cli(env, 'org', 'set', '--id', id, '--passkey-aaguids', 'yubikey'), 2, /--passkey-aaguids must be AAGUIDs/);
      assertRefused(await cli(env, 'org', 'set', '--id', id, '--passkeys', 'maybe'), 2, /--passkeys must be one of on, off, profile/);
      assert.deepEqual(await row(), r);
      const back = await cli(env, 'org', 'set', '--id', id, '--passkeys', 'profile', '--passkey-signin', 'off', '--passkey-aaguids', 'any');
      assert.match(back.out.join('\n'), /passkeys: on \(the profile's\), passkey sign-in: off, AAGUIDs: any/);
      assert.deepEqual(await row(), { passkey_policy: null, passkey_signin_enabled_at: null, passkey_aaguids: null });
    });
  });
}

describe('bin/bizportal.mjs', () => {
  const run = promisify(execFile);
  const bin = join(ROOT, 'bin/bizportal.mjs');

  it('runs `help` as a real process and exits 0', async () => {
    const { stdout, stderr } = await run(process.execPath, [bin, 'help'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test' } });
    assert.match(stdout, /^  org create +create a customer organisation/m);
    assert.match(stdout, /DATABASE_SCHEMA/);
    assert.equal(stderr, '');
  });

  it('exits 2 with one line on stderr for an unknown command', async () => {
    const err = await run(process.execPath, [bin, 'frobnicate'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test' } })
      .then(() => assert.fail('expected a non-zero exit'), (e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal(err.code, 2);
    assert.equal(err.stdout, '');
    assert.equal(err.stderr, 'error: unknown command "frobnicate" (see \'bizportal help\')\n');
  });
});
