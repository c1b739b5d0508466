// Issue 21 items 3, 4 and 6 end to end: an imported user's legacy password (bcrypt, PBKDF2-SHA256) logs in
// during the migration period, is rehashed to argon2id and used up, and the login goes straight to
// the 2-step setup; one second before the end it still works, one second after it is refused with
// the way that remains (the password reset).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '../../../test/helpers/db.ts';
import { startTestApp } from '../../../test/helpers/app.ts';
import { Browser, text } from '../../../test/helpers/client.ts';
import { secretOnPage } from '../../../test/helpers/scenario.ts';
import { importLegacyUsers } from '../service.ts';
import { setMigrationPeriod } from '../period.ts';
import { sweepEndedLegacyHashes } from '../store.ts';
import { findPublicUserByLoginId, insertUsers, manageableOrgIds, manageableUser, updateContact } from '../../auth/service.ts';
import { assertMayOpenTicketsHere } from '../../portal/tickets/service.ts';

const PW = 'Legacy-pass1';
const BCRYPT = '$2b$10$CPkmcYnPXIxIdySP295RreCH3YM2YD2lxIA0KRsQroDMROudvuB8.';
const PBKDF2 = 'pbkdf2_sha256$600000$c2FsdHNhbHQ$4ui0AZzXd5zYjOQWMsxvEXUiZe6DYwObvbfKPpg45o4=';

for (const dialect of testDialects()) {
  describe(`${dialect}: legacy login during the migration period`, () => {
    it('bcrypt and PBKDF2 hashes log in once, are rehashed, force the 2-step setup; after the end: refused with the reset route', async (t) => {
      const app = await startTestApp(dialect, t);
      const dir = mkdtempSync(join(tmpdir(), 'bizportal-legacy-login-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'legacy.csv');
      writeFileSync(file, `ecid,contract,login_id,email,name,password_hash\nb1,P1,bcrypt-user,b@x.jp,B,${BCRYPT}\np1,P1,pbkdf2-user,p@x.jp,P,${PBKDF2}\nl1,P1,late-user,l@x.jp,L,${BCRYPT}\nn1,P1,no-hash,n@x.jp,N,\n`);
      const s = await importLegacyUsers({ db: app.ctx.db, now: () => app.clock.now }, file, { dryRun: false, onError: 'stop' }, () => {});
      assert.equal(s.created, 4);
      const login = async (loginId: string, password: string) => {
        const b = new Browser(app.url);
        await b.get('/login');
        return b.follow(await b.post('/login', { loginId, password }));
      };
      const hashOf = async (loginId: string) => (await app.ctx.db.selectFrom('app_user').innerJoin('legacy_user', 'legacy_user.user_id', 'app_user.id')
        .select(['password_hash', 'legacy_password_hash']).where('login_id', '=', loginId).executeTakeFirstOrThrow());

      // No period yet: the legacy password does not work (and says how to get in).
      assert.match(text((await login('bcrypt-user', PW)).body), /Outside the migration period|移行期間外のため/);
      const end = app.clock.now + 3_600_000;
      await setMigrationPeriod(app.ctx, undefined, app.clock.now - 1000, end);

      assert.match(text((await login('bcrypt-user', 'wrong-Pass1')).body), /incorrect|正しくありません/);
      assert.match(text((await login('no-hash', PW)).body), /incorrect|正しくありません/);
      const first = await login('bcrypt-user', PW);
      assert.ok(secretOnPage(first.body), 'straight to the TOTP setup');
      const after = await hashOf('bcrypt-user');
      assert.match(after.password_hash!, /^\$argon2id\$/);
      assert.equal(after.legacy_password_hash, null);
      // Used up: the same password now checks against the argon2id hash and still works.
      assert.ok(secretOnPage((await login('bcrypt-user', PW)).body));

      app.clock.now = end - 1000;
      assert.ok(secretOnPage((await login('pbkdf2-user', PW)).body), 'one second before the end');
      assert.match((await hashOf('pbkdf2-user')).password_hash!, /^\$argon2id\$/);

      app.clock.now = end + 1000;
      const late = await login('late-user', PW);
      assert.match(text(late.body), /Outside the migration period|移行期間外のため/);
      assert.match(late.body, /パスワード再設定はこちら|Reset it here/);
      assert.equal((await hashOf('late-user')).password_hash, null);

      // A day after the end the sweeper clears the hashes that can never be used again.
      assert.equal(await sweepEndedLegacyHashes(app.ctx.db, end - 1), 0, 'not before the end');
      assert.ok((await hashOf('late-user')).legacy_password_hash);
      assert.equal(await sweepEndedLegacyHashes(app.ctx.db, end + 1), 1);
      assert.equal((await hashOf('late-user')).legacy_password_hash, null);
    });
  });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: tickets during the migration period (S9)`, () => {
    it('an imported user opens tickets in the legacy portal only while the period is on; a new-portal user here always', async (t) => {
      const app = await startTestApp(dialect, t);
      const dir = mkdtempSync(join(tmpdir(), 'bizportal-ticket-origin-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'legacy.csv');
      writeFileSync(file, 'ecid,contract,login_id,email,name\ne1,P1,imported,i@x.jp,I\n');
      await importLegacyUsers({ db: app.ctx.db, now: () => app.clock.now }, file, { dryRun: false, onError: 'stop' }, () => {});
      const imported = await app.ctx.db.selectFrom('app_user').select(['id', 'name', 'organisation_id']).where('login_id', '=', 'imported').executeTakeFirstOrThrow();
      const [portalUser] = await insertUsers(app.ctx.db, [{ organisationId: imported.organisation_id, loginId: 'new-here', email: 'n@x.jp', name: 'N', phone: '0312345678', role: 'general', lang: 'ja' }], app.clock.now);
      const may = (id: string) => assertMayOpenTicketsHere(app.ctx, { id, name: 'x' }).then(() => true, (e: { code?: string }) => { assert.equal(e.code, 'tickets.legacy_portal_only'); return false; });
      assert.equal(await may(imported.id), true, 'no period set yet');
      const end = app.clock.now + 3_600_000;
      await setMigrationPeriod(app.ctx, undefined, app.clock.now, end);
      assert.equal(await may(imported.id), false);
      assert.equal(await may(portalUser!), true);
      app.clock.now = end - 1000;
      assert.equal(await may(imported.id), false, 'one second before the end');
      app.clock.now = end + 1000;
      assert.equal(await may(imported.id), true, 'one second after the end');
    });
  });
}

for (const dialect of testDialects()) {
  describe(`${dialect}: partner admins and their imported child organisations (seed 004)`, () => {
    it('a partner contract\'s admin sees and fixes a child contract\'s user; the child\'s admin cannot reach the partner', async (t) => {
      const app = await startTestApp(dialect, t);
      const dir = mkdtempSync(join(tmpdir(), 'bizportal-partner-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'legacy.csv');
      writeFileSync(file, 'ecid,contract,parent_contract,login_id,email,name,role\np1,P1,,padmin,pa@x.jp,PA,admin\np2,P1,,puser,pu@x.jp,PU,general\nc1,C1,P1,cadmin,ca@x.jp,CA,admin\nc2,C1,P1,cuser,cu@x.jp,CU,general\n');
      await importLegacyUsers({ db: app.ctx.db, now: () => app.clock.now }, file, { dryRun: false, onError: 'stop' }, () => {});
      const u = async (loginId: string) => (await findPublicUserByLoginId(app.ctx.db, loginId))!;
      const [padmin, puser, cadmin, cuser] = [await u('padmin'), await u('puser'), await u('cadmin'), await u('cuser')];
      assert.deepEqual(new Set(await manageableOrgIds(app.ctx, padmin)), new Set([padmin.organisation_id, cuser.organisation_id]));
      // «if a child cannot log in, the parent checks and changes the settings»
      assert.equal((await manageableUser(app.ctx, padmin, cuser.id)).email, 'cu@x.jp');
      assert.deepEqual(await updateContact(app.ctx, { user: padmin, ip: '127.0.0.1' }, cuser.id, { email: 'new@x.jp', name: 'CU', phone: '0398765432' }), ['email', 'phone']);
      assert.equal((await u('cuser')).email, 'new@x.jp');
      await assert.rejects(manageableUser(app.ctx, cadmin, puser.id), (e: { code?: string }) => e.code === 'admin.user_not_found');
    });
  });
}
