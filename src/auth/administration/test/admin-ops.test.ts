// Issue 13 §9: the admin operations that go through auth's service, on a fresh database of each
// dialect with no server: a rule costs milliseconds. What leaves is a PublicUser (no hash, no
// secret); every target is checked against the admin's organisations; the writes use auth's own
// rules (links superseded, factors cleared through the factor functions).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { loadConfig } from '../../../config.ts';
import type { AppContext } from '../../../context.ts';
import type { Dialect } from '../../../db/index.ts';
import { DomainError } from '../../../errors.ts';
import {
  addTrustedNetwork, backupCodesLeft, createOrganisation, createUser, disableUser, enableUser, findPublicUser,
  HashPool, DbThrottle, lockoutsOf, manageableUser, orgSettings, removeTrustedNetwork, resendGuide, resetUserTotp,
  unlockUser, type AdminActor, type PublicUser,
} from '../../service.ts';
import { insertUser } from '../../users/store.ts';
import { replaceBackupCodes, saveTotpEnrolment } from '../../login/factor-store.ts';
import { passwordKey } from '../../login/service.ts';

async function world(dialect: Dialect, t: TestContext) {
  const h = await freshDb(dialect, t);
  const clock = { now: Date.UTC(2026, 0, 5, 1, 0, 0) };
  const config = loadConfig({
    NODE_ENV: 'test', PUBLIC_URL: 'http://127.0.0.1:1', SECRET_KEY: randomBytes(32).toString('base64'),
    TOTP_KEY: randomBytes(32).toString('base64'), ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', DATA_DIR: '/tmp/bizportal-test-unused',
  });
  const ctx: AppContext = {
    config, db: h.db, dialect, hashPool: new HashPool({ concurrency: 1, queueLimit: 0 }), throttle: new DbThrottle(h.db),
    now: () => clock.now, log: pino({ level: 'silent' }),
  };
  const partner = await createOrganisation(ctx.db, { name: 'Partner', kind: 'partner' }, clock.now);
  const child = await createOrganisation(ctx.db, { name: 'Child', kind: 'child', parentId: partner.id }, clock.now);
  const other = await createOrganisation(ctx.db, { name: 'Other', kind: 'direct' }, clock.now);
  let n = 0;
  const person = async (orgId: string, role: 'admin' | 'general' = 'general') => {
    const id = `u${++n}-${randomBytes(3).toString('hex')}@example.com`;
    return insertUser(ctx.db, { organisationId: orgId, loginId: id, email: id, name: `User ${n}`, phone: '0312345678', role, lang: 'ja' }, clock.now);
  };
  const adminRow = await person(partner.id, 'admin');
  const actor: AdminActor = { user: adminRow, ip: '192.0.2.1', sessionId: 'test-session' };
  const auditOf = (event: string, subject?: string) => {
    let q = ctx.db.selectFrom('audit_log').selectAll().where('event', '=', event);
    if (subject) q = q.where('subject_user_id', '=', subject);
    return q.execute();
  };
  return { ctx, clock, partner, child, other, person, actor, auditOf };
}

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof DomainError && e.code === code);
}

function assertPublic(u: PublicUser): void {
  for (const secret of ['password_hash', 'totp_secret_enc', 'security_epoch', 'login_id_canonical', 'totp_last_step']) {
    assert.ok(!(secret in u), `${secret} leaves auth`);
  }
}

for (const dialect of testDialects()) {
  describe(`${dialect}: admin operations through auth's service`, () => {
    it('create user: a PublicUser in a manageable organisation, the starting guide queued; a foreign organisation is refused', async (t) => {
      const w = await world(dialect, t);
      const u = await createUser(w.ctx, w.actor, { orgId: w.child.id, email: 'new@example.com', name: '新規 太郎', phone: '0312345678', role: 'general', lang: 'ja' });
      assertPublic(u);
      assert.equal(u.organisation_id, w.child.id);
      assert.equal(u.first_login_done, false);
      assert.deepEqual(u.two_step, { method: 'totp', totpEnrolled: false });
      assert.equal((await w.auditOf('user.registered', u.id)).length, 1);
      const mails = await w.ctx.db.selectFrom('mail_outbox').select('to_addr').execute();
      assert.ok(mails.some((m) => m.to_addr === 'new@example.com'));
      await refused(createUser(w.ctx, w.actor, { orgId: w.other.id, email: 'x@example.com', name: 'X', phone: '0312345678', role: 'general', lang: 'ja' }), 'common.forbidden');
      let checked = '';
      await createUser(w.ctx, w.actor, { email: 'own@example.com', name: 'Own', phone: '0312345678', role: 'general', lang: 'ja' }, async (orgId) => { checked = orgId; });
      assert.equal(checked, w.partner.id, 'beforeCreate sees the organisation before anything is written');
    });

    it('org scope: a user of another organisation looks like no user; a partner admin reaches the child', async (t) => {
      const w = await world(dialect, t);
      const elsewhere = await w.person(w.other.id);
      const inChild = await w.person(w.child.id);
      await refused(manageableUser(w.ctx, w.actor.user, elsewhere.id), 'admin.user_not_found');
      await refused(manageableUser(w.ctx, w.actor.user, 'no-such-user'), 'admin.user_not_found');
      await refused(disableUser(w.ctx, w.actor, elsewhere.id), 'admin.user_not_found');
      await refused(resetUserTotp(w.ctx, w.actor, elsewhere.id), 'admin.user_not_found');
      assertPublic(await manageableUser(w.ctx, w.actor.user, inChild.id));
      const general = await w.person(w.partner.id);
      await refused(manageableUser(w.ctx, { user: general, ip: '' }.user, inChild.id), 'admin.user_not_found');
      assert.equal((await findPublicUser(w.ctx.db, elsewhere.id))?.disabled_at, null, 'nothing changed');
    });

    it('disable ends sessions by a new security epoch; enable brings the user back; the admin cannot disable themselves', async (t) => {
      const w = await world(dialect, t);
      const u = await w.person(w.partner.id);
      await disableUser(w.ctx, w.actor, u.id);
      const after = await w.ctx.db.selectFrom('app_user').select(['disabled_at', 'security_epoch']).where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(after.disabled_at, w.clock.now);
      assert.equal(after.security_epoch, u.security_epoch + 1);
      await enableUser(w.ctx, w.actor, u.id);
      assert.equal((await findPublicUser(w.ctx.db, u.id))?.disabled_at, null);
      assert.equal((await w.auditOf('user.disabled', u.id)).length, 1);
      assert.equal((await w.auditOf('user.enabled', u.id)).length, 1);
      await refused(disableUser(w.ctx, w.actor, w.actor.user.id), 'admin.self_forbidden');
    });

    it('unlock clears the password lockout', async (t) => {
      const w = await world(dialect, t);
      const u = await w.person(w.partner.id);
      const policy = { freeFailures: 0, baseLockMs: 600_000, maxLockMs: 600_000, resetAfterMs: 3_600_000 };
      await w.ctx.throttle.begin(passwordKey(u.login_id), policy, w.clock.now);
      assert.ok((await lockoutsOf(w.ctx, u)).passwordUntil > w.clock.now);
      await unlockUser(w.ctx, w.actor, u.id);
      assert.equal((await lockoutsOf(w.ctx, u)).passwordUntil, 0);
      const [row] = await w.auditOf('user.unlocked', u.id);
      assert.equal(JSON.parse(row!.detail).passwordLocked, true);
    });

    it('reset 2-step: TOTP and every backup code gone through the factor functions, sessions ended', async (t) => {
      const w = await world(dialect, t);
      const u = await w.person(w.partner.id);
      await saveTotpEnrolment(w.ctx.db, u.id, 'sealed-secret', 1, w.clock.now);
      await replaceBackupCodes(w.ctx.db, u.id, ['h1', 'h2', 'h3'], w.clock.now);
      assert.equal((await findPublicUser(w.ctx.db, u.id))?.two_step.totpEnrolled, true);
      assert.equal(await backupCodesLeft(w.ctx, u.id), 3);
      await resetUserTotp(w.ctx, w.actor, u.id);
      const after = (await findPublicUser(w.ctx.db, u.id))!;
      assert.equal(after.two_step.totpEnrolled, false);
      assert.equal(await backupCodesLeft(w.ctx, u.id), 0);
      const epoch = await w.ctx.db.selectFrom('app_user').select('security_epoch').where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(epoch.security_epoch, u.security_epoch + 1);
      assert.equal((await w.auditOf('mfa.totp_reset', u.id)).length, 1);
    });

    it('resend the starting guide: a new link supersedes the old one; refused once a password is set', async (t) => {
      const w = await world(dialect, t);
      const u = await createUser(w.ctx, w.actor, { email: 'guide@example.com', name: 'Guide', phone: '0312345678', role: 'general', lang: 'ja' });
      w.clock.now += 120_000; // past the resend cooldown of item 44
      await resendGuide(w.ctx, w.actor, u.id);
      const links = await w.ctx.db.selectFrom('link_token').select(['superseded_at', 'used_at']).where('user_id', '=', u.id).orderBy('created_at').execute();
      assert.equal(links.length, 2);
      assert.notEqual(links[0]!.superseded_at, null, 'the first link stops working');
      assert.equal(links[1]!.superseded_at, null);
      await w.ctx.db.updateTable('app_user').set({ password_hash: 'set' }).where('id', '=', u.id).execute();
      await refused(resendGuide(w.ctx, w.actor, u.id), 'admin.guide_not_needed');
    });

    it('delete a trusted network: only one of a manageable organisation; a foreign id is a 403', async (t) => {
      const w = await world(dialect, t);
      await addTrustedNetwork(w.ctx, w.actor, w.child.id, '192.0.2.0/28', 'office');
      const { networks } = await orgSettings(w.ctx, w.actor.user, w.child.id);
      assert.equal(networks.length, 1);
      const foreignAdmin = await w.person(w.other.id, 'admin');
      await refused(removeTrustedNetwork(w.ctx, { user: foreignAdmin, ip: '' }, networks[0]!.id), 'common.forbidden');
      assert.equal(await removeTrustedNetwork(w.ctx, w.actor, networks[0]!.id), w.child.id);
      assert.equal((await orgSettings(w.ctx, w.actor.user, w.child.id)).networks.length, 0);
      assert.equal((await w.auditOf('network.removed')).length, 1);
    });
  });
}
