// resolveSession answers a signed-in page in ONE statement (issue 19): the session with its user,
// organisation, terms gate, the user's groups, a partner's child organisations and the previous
// login. Each of these must be what the separate reads gave (the tenancy rule organisationFamily,
// the groups of the user's own organisation, the newest other login), and the user's rules
// (disabled, security epoch) still refuse.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, testDialects } from '../../../../test/helpers/db.ts';
import { createOrganisation } from '../../tenancy/organisations.ts';
import { organisationFamily } from '../../tenancy/admin-scope.ts';
import { insertUser, recordLogin } from '../../users/store.ts';
import { bumpSecurityEpoch } from '../../users/security-epoch.ts';
import { createSession } from '../store.ts';
import { resolveSession } from '../resolve.ts';
import type { AppContext } from '../../../context.ts';
import type { Db } from '../../../db/index.ts';

const NOW = 1_750_000_000_000;
const HOUR = 3_600_000;
// Idle time long enough for a session of two hours ago to be live (the previous-login case).
const times = { idleMs: 6 * HOUR, absoluteMs: 12 * HOUR };

for (const dialect of testDialects()) {
  describe(`${dialect}: resolveSession, one statement per page`, () => {
    async function given(t: TestContext, kind: 'direct' | 'partner' = 'direct', role: 'general' | 'admin' = 'general') {
      const h = await freshDb(dialect, t);
      const statements: string[] = [];
      h.observeStatements((s) => statements.push(s));
      const org = await createOrganisation(h.db, { name: 'Acme', kind }, NOW);
      const user = await insertUser(h.db, { organisationId: org.id, loginId: 'u1', email: 'u1@example.com', name: 'User One', phone: '0312345678', role, lang: 'ja' }, NOW);
      const clock = { now: NOW };
      const ctx = { db: h.db, config: { sessionIdleMs: times.idleMs, sessionAbsoluteMs: times.absoluteMs }, now: () => clock.now } as unknown as AppContext;
      const login = async (at: number) => {
        const token = await createSession(h.db, { userId: user.id, aal: 'aal2', skipReason: null, ip: '10.0.0.1', userAgent: 'ua' }, times, at);
        await recordLogin(h.db, user.id, at);
        return token;
      };
      return { db: h.db, statements, org, user, ctx, clock, login };
    }

    async function group(db: Db, id: string, orgId: string, userId: string) {
      await db.insertInto('user_group').values({ id, organisation_id: orgId, name: id, created_at: NOW }).execute();
      await db.insertInto('user_group_member').values({ group_id: id, user_id: userId }).execute();
    }

    it('brings user, organisation, terms, groups and previous login in one statement', async (t) => {
      const w = await given(t);
      const other = await createOrganisation(w.db, { name: 'Other', kind: 'direct' }, NOW);
      await group(w.db, 'gB', w.org.id, w.user.id);
      await group(w.db, 'gA', w.org.id, w.user.id);
      await group(w.db, 'gX', other.id, w.user.id); // another organisation's group shows nothing (S8)
      const token = await w.login(NOW);
      w.statements.length = 0;
      const found = await resolveSession(w.ctx, token);
      assert.equal(w.statements.length, 1, w.statements.join('\n'));
      assert.equal(found?.user.id, w.user.id);
      assert.deepEqual(found?.organisation, { id: w.org.id, name: 'Acme', kind: 'direct', profile: 'business' });
      assert.equal(found?.termsAccepted, true, 'no terms published: nothing to accept');
      assert.deepEqual(found?.groupIds, ['gA', 'gB']);
      assert.deepEqual(found?.organisationFamily, await organisationFamily(w.db, w.org.id));
      assert.equal(found?.previousLoginAt, null, 'the first login');
    });

    it('the terms gate: the newest version accepted, not an older one', async (t) => {
      const w = await given(t);
      const token = await w.login(NOW);
      const version = (id: string, v: number) => w.db.insertInto('terms_version').values({ id, version: v, title_ja: 't', title_en: 't', body_ja: 'b', body_en: 'b', published_at: NOW }).execute();
      await version('v1', 1);
      assert.equal((await resolveSession(w.ctx, token))?.termsAccepted, false);
      await w.db.insertInto('terms_acceptance').values({ user_id: w.user.id, terms_version_id: 'v1', accepted_at: NOW, ip: '10.0.0.1' }).execute();
      assert.equal((await resolveSession(w.ctx, token))?.termsAccepted, true);
      await version('v2', 2);
      assert.equal((await resolveSession(w.ctx, token))?.termsAccepted, false);
    });

    it('a partner\'s admin: the organisation and its children, as the tenancy rule gives them', async (t) => {
      const w = await given(t, 'partner', 'admin');
      await createOrganisation(w.db, { name: 'Zeta', kind: 'child', parentId: w.org.id }, NOW);
      await createOrganisation(w.db, { name: 'Alpha', kind: 'child', parentId: w.org.id }, NOW);
      await createOrganisation(w.db, { name: 'Elsewhere', kind: 'direct' }, NOW);
      const found = await resolveSession(w.ctx, await w.login(NOW));
      assert.equal(found?.organisationFamily.length, 3);
      assert.deepEqual(found?.organisationFamily, await organisationFamily(w.db, w.org.id));
      assert.deepEqual(found?.groupIds, []);
    });

    it('the previous login is the newest login other than this session\'s', async (t) => {
      const w = await given(t);
      const first = await w.login(NOW - 2 * HOUR);
      const second = await w.login(NOW - HOUR);
      w.clock.now = NOW - HOUR + 1000;
      assert.equal((await resolveSession(w.ctx, second))?.previousLoginAt, NOW - 2 * HOUR);
      assert.equal((await resolveSession(w.ctx, first))?.previousLoginAt, NOW - HOUR, 'a later login elsewhere');
      const third = await w.login(NOW);
      w.clock.now = NOW + 1000;
      assert.equal((await resolveSession(w.ctx, third))?.previousLoginAt, NOW - HOUR);
      assert.equal((await resolveSession(w.ctx, first))?.previousLoginAt, NOW);
    });

    it('two logins recorded out of time order keep the newer as last', async (t) => {
      const w = await given(t);
      await recordLogin(w.db, w.user.id, NOW - HOUR);
      await recordLogin(w.db, w.user.id, NOW);
      await recordLogin(w.db, w.user.id, NOW - 1000); // committed after the newer one
      const row = await w.db.selectFrom('app_user').select(['last_login_at', 'previous_login_at']).where('id', '=', w.user.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { last_login_at: NOW, previous_login_at: NOW - 1000 });
    });

    it('refuses a disabled user and an older security epoch, like before', async (t) => {
      const w = await given(t);
      const token = await w.login(NOW);
      assert.ok(await resolveSession(w.ctx, token));
      await bumpSecurityEpoch(w.db, w.user.id, NOW);
      assert.equal(await resolveSession(w.ctx, token), null, 'older epoch');
      const fresh = await w.login(NOW + 1);
      assert.ok(await resolveSession(w.ctx, fresh));
      await w.db.updateTable('app_user').set({ disabled_at: NOW + 2 }).where('id', '=', w.user.id).execute();
      assert.equal(await resolveSession(w.ctx, fresh), null, 'disabled');
    });
  });
}
