// SECURITY.md items 40 and 41 at service level, on both databases: the address validated is the
// address stored and delivered; login IDs are unique by a canonical form in every organisation,
// with one neutral answer; existing look-alikes are kept apart by migration 020 (decision 020).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { bareDb, freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { startTestApp } from '../../../../test/helpers/app.ts';
import { startTestSmtp } from '../../../../test/helpers/smtp.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { registerUser, type RegisterInput } from '../../registration/service.ts';
import { findUserByLoginId } from '../../users/store.ts';
import { DomainError } from '../../../errors.ts';
import { enqueueMail, listOutbox } from '../../../mail/outbox.ts';
import { MailWorker } from '../../../mail/worker.ts';
import { checkEmail, checkLoginId } from '../canonical.ts';
import * as m001 from '../../../db/migrations/001_identity.ts';
import * as m020 from '../../../db/migrations/020_canonical_login_id.ts';
import * as m022 from '../../../db/migrations/022_factor.ts';

const ACTOR = { userId: null, ip: '127.0.0.1' };


async function refusal(p: Promise<unknown>): Promise<Record<string, string[]>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DomainError, String(err));
    return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.map((e) => e.key)]));
  }
  assert.fail('expected a refusal');
}

describe('plain e-mail addresses and login IDs (rules)', () => {
  it('e-mail: only a plain local@domain, stored with the domain lower-cased and in IDNA form', () => {
    for (const bad of ['victim@example.com(x)evil.example', '"victim"@example.com', '"a b"@example.com', 'victim(x)@example.com',
      'vic tim@example.com', 'victim@exa mple.com', 'vic\u200btim@example.com', 'victim@example.com\u200b', 'victim@exаmple.com',
      'a@b@example.com', 'victim@example', '.victim@example.com', 'vi..ctim@example.com', 'たろう@example.jp', 'victim@-example.com', 'x@example.123']) {
      assert.deepEqual(checkEmail(bad), { ok: false }, bad);
    }
    assert.deepEqual(checkEmail(' Taro.Yamada@Example.CO.JP\n'), { ok: true, email: 'Taro.Yamada@example.co.jp' });
    assert.deepEqual(checkEmail('taro@例え.jp'), { ok: true, email: 'taro@xn--r8jz45g.jp' });
    assert.deepEqual(checkEmail('taro+portal@ｅｘａｍｐｌｅ.com'), { ok: true, email: 'taro+portal@example.com' });
  });

  it('login ID: invisible characters and Cyrillic/Greek letters refused; Japanese allowed', () => {
    assert.deepEqual(checkLoginId('taro@example.com\u200b'), { ok: false, problem: 'invisible' });
    assert.deepEqual(checkLoginId('ta\u2060ro'), { ok: false, problem: 'invisible' });
    assert.deepEqual(checkLoginId('tаro@example.com'), { ok: false, problem: 'script' }, 'Cyrillic а');
    assert.deepEqual(checkLoginId('tαro'), { ok: false, problem: 'script' }, 'Greek α');
    assert.deepEqual(checkLoginId('ta ro'), { ok: false, problem: 'invisible' });
    const jp = checkLoginId('山田たろう_カタカナ01');
    assert.ok(jp.ok);
    const fw = checkLoginId('ＴＡＲＯ@example.com');
    assert.ok(fw.ok && fw.canonical === 'taro@example.com');
  });
});

for (const dialect of testDialects()) {
  describe(`${dialect}: plain e-mail and canonical login IDs`, () => {
    it('registration refuses look-alike login IDs in every organisation with one neutral answer', async (t) => {
      const app = await startTestApp(dialect, t);
      const now = app.ctx.now();
      const own = await createOrganisation(app.ctx.db, { name: 'own', kind: 'direct' }, now);
      const other = await createOrganisation(app.ctx.db, { name: 'other', kind: 'direct' }, now);
      const base: Omit<RegisterInput, 'organisationId'> = { email: 'taro@example.com', name: '山田 太郎', phone: '0312345678', role: 'general' };
      const first = await registerUser(app.ctx, { ...base, organisationId: other.id }, ACTOR);
      assert.equal(first.user.login_id, 'taro@example.com');
      for (const org of [own.id, other.id]) {
        for (const loginId of ['Taro@example.com', 'TARO@EXAMPLE.COM', 'ｔａｒｏ@example.com', ' taro@example.com ']) {
          assert.deepEqual(await refusal(registerUser(app.ctx, { ...base, email: 'x@example.com', loginId, organisationId: org }, ACTOR)),
            { loginId: ['register.login_id_unavailable'] }, `${loginId} in ${org === own.id ? 'own' : 'other'} organisation`);
        }
      }
      assert.deepEqual(await refusal(registerUser(app.ctx, { ...base, email: 'x@example.com', loginId: 'taro@example.com\u200b', organisationId: own.id }, ACTOR)),
        { loginId: ['register.login_id_invalid'] });
      assert.deepEqual(await refusal(registerUser(app.ctx, { ...base, email: 'x@example.com', loginId: 'tаro@example.com', organisationId: own.id }, ACTOR)),
        { loginId: ['register.login_id_script'] });
      // The e-mail default is checked like a typed ID: a differently-cased address is the same login ID.
      assert.deepEqual(await refusal(registerUser(app.ctx, { ...base, email: 'TARO@example.com', organisationId: own.id }, ACTOR)),
        { loginId: ['register.login_id_unavailable'] });
      const users = await app.ctx.db.selectFrom('app_user').select('login_id').execute();
      assert.deepEqual(users.map((u) => u.login_id), ['taro@example.com']);
      // Login finds the one user by any spelling of the canonical form.
      assert.equal((await findUserByLoginId(app.ctx.db, 'ＴＡＲＯ@example.com'))?.id, first.user.id);
    });

    it('registration and admin edits store the e-mail normalised; refused addresses are never stored', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await createOrganisation(app.ctx.db, { name: 'o', kind: 'direct' }, app.ctx.now());
      const base = { name: '山田 太郎', phone: '0312345678', role: 'general' as const, organisationId: org.id };
      for (const email of ['victim@example.com(x)evil.example', '"victim"@example.com', 'vic\u200btim@example.com']) {
        assert.deepEqual(await refusal(registerUser(app.ctx, { ...base, email }, ACTOR)), { email: ['register.email_invalid'] }, email);
      }
      const { user } = await registerUser(app.ctx, { ...base, email: 'Taro@例え.JP' }, ACTOR);
      assert.equal(user.email, 'Taro@xn--r8jz45g.jp');
      const mail = await app.ctx.db.selectFrom('mail_outbox').select('to_addr').where('user_id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(mail.to_addr, user.email, 'the outbox holds exactly the stored address');
    });

    it('the mailer is handed exactly the stored address and never sends a non-plain one', async (t) => {
      const h = await freshDb(dialect, null);
      const db = h.db;
      const smtp = await startTestSmtp({ t });
      const worker = new MailWorker({ db, dialect, from: 'bizportal <no-reply@portal.example.com>', smtpUrl: smtp.url });
      t.after(async () => { await worker.stop(); await h.dispose(); });
      const now = Date.now();
      const bad = await enqueueMail(db, { to: 'victim@example.com(x)evil.example', subject: 's', bodyText: 'b', kind: 'starting_guide', userId: null }, now);
      const quoted = await enqueueMail(db, { to: '"victim"@example.com', subject: 's', bodyText: 'b', kind: 'starting_guide', userId: null }, now);
      const good = await enqueueMail(db, { to: 'Taro.Yamada@example.co.jp', subject: 's', bodyText: 'b', kind: 'starting_guide', userId: null }, now);
      const r = await worker.runOnce(now);
      assert.deepEqual([r.sent, r.failed], [1, 2]);
      const [received] = await smtp.waitFor((m) => m.length === 1);
      assert.deepEqual(received!.to, ['Taro.Yamada@example.co.jp']);
      const rows = await listOutbox(db, { limit: 10 });
      const state = (id: string) => rows.find((x) => x.id === id)!.state;
      assert.deepEqual([state(bad), state(quoted), state(good)], ['dead', 'dead', 'sent']);
      // Every row has its final state, so the worker is done with them: what reached the sink is final.
      assert.equal(smtp.received.length, 1, 'nothing went to victim@example.comevil.example');
      assert.equal(smtp.dataStarted, 1, 'and nothing is on its way');
    });

    it('migration 020: existing look-alike login IDs are kept apart, the oldest keeps the ID, the clash is audited', async (t) => {
      // A database as the first release left it (migration 001 only), holding rows an old version allowed.
      const h = await bareDb(dialect, t);
      const db = h.db as unknown as Kysely<any>;
      await m001.up(db);
      await db.insertInto('organisation').values({ id: 'o1', name: 'o', kind: 'direct', parent_id: null, profile: 'business', trusted_browsers_enabled_at: null, mail_otp_disabled_at: null, created_at: 1 }).execute();
      const user = (id: string, loginId: string, email: string, at: number) => ({
        id, organisation_id: 'o1', login_id: loginId, email, name: 'n', phone: '0312345678', role: 'general', lang: 'ja', password_hash: null,
        password_set_at: null, second_factor: 'totp', security_epoch: 0,
        disabled_at: null, last_login_at: null, origin: 'portal', created_at: at, updated_at: at,
      });
      await db.insertInto('app_user').values([
        user('u1', 'taro@example.com', 'taro@Example.COM', 1), user('u2', 'Taro@example.com', 'x@example.com', 2),
        user('u3', 'ｔａｒｏ@example.com', 'victim@example.com(x)evil.example', 3), user('u4', 'hanako', 'h@example.com', 4),
      ]).execute();
      await m020.up(db);
      await m022.up(db); // the user look-ups below read the factor table
      const rows = await db.selectFrom('app_user').select(['id', 'login_id_canonical', 'email']).orderBy('created_at').execute();
      assert.deepEqual(rows, [
        { id: 'u1', login_id_canonical: 'taro@example.com', email: 'taro@example.com' },
        { id: 'u2', login_id_canonical: '~clash:u2', email: 'x@example.com' },
        { id: 'u3', login_id_canonical: '~clash:u3', email: 'victim@example.com(x)evil.example' },
        { id: 'u4', login_id_canonical: 'hanako', email: 'h@example.com' },
      ]);
      const clashes = await db.selectFrom('audit_log').select(['subject_user_id', 'organisation_id']).where('event', '=', 'user.login_id_clash').orderBy('subject_user_id').execute();
      assert.deepEqual(clashes, [{ subject_user_id: 'u2', organisation_id: 'o1' }, { subject_user_id: 'u3', organisation_id: 'o1' }]);
      // The exact ID still finds its own row; the canonical form finds the oldest; the index holds.
      assert.equal((await findUserByLoginId(h.db, 'Taro@example.com'))?.id, 'u2');
      assert.equal((await findUserByLoginId(h.db, 'TARO@example.com'))?.id, 'u1');
      await assert.rejects(db.insertInto('app_user').values({ ...user('u5', 'TARO@EXAMPLE.COM', 'y@example.com', 5), login_id_canonical: 'taro@example.com' }).execute());
    });
  });
}
