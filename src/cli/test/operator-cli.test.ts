// `bizportal operator org|add|list|set-role` (issue 26): the provider organisation exists once
// (init creates it; `operator org` says so), operators are registered there with the starting
// guide, listed, re-roled; a customer can never be given an operator role.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/helpers/db.ts';
import { cli, inspect, operatorEnv } from './harness.ts';

for (const dialect of testDialects()) {
  describe(`${dialect}: operator CLI`, () => {
    it('init creates the provider organisation once; operators are added, listed and re-roled; customers cannot be', async (t) => {
      const env = await operatorEnv(dialect, t);
      const init = await cli(env, 'init');
      assert.equal(init.code, 0, init.err.join('\n'));
      assert.match(init.out.join('\n'), /provider organisation \(operators: 'bizportal operator add'\): Provider/);
      assert.equal((await cli(env, 'init')).code, 0);
      const again = await cli(env, 'operator', 'org', '--name', 'Other name');
      assert.match(again.out.join('\n'), /exists already: "Provider"/);
      const kinds = await inspect(env, (db) => db.selectFrom('organisation').select('kind').execute());
      assert.equal(kinds.filter((k) => k.kind === 'provider').length, 1, 'exactly one provider organisation');
      // The bootstrap admin is a customer admin of a customer organisation, not of the provider's.
      const boot = await inspect(env, (db) => db.selectFrom('app_user').innerJoin('organisation as o', 'o.id', 'app_user.organisation_id').select(['o.kind', 'app_user.operator_role']).executeTakeFirstOrThrow());
      assert.deepEqual(boot, { kind: 'direct', operator_role: null });

      const added = await cli(env, 'operator', 'add', '--email', 'agent@provider.example', '--name', '窓口 一郎', '--role', 'agent');
      assert.equal(added.code, 0, added.err.join('\n'));
      assert.match(added.out.join('\n'), /^setup link: \S+\/setup\/\S+$/m);
      const mail = await inspect(env, (db) => db.selectFrom('mail_outbox').select('kind').where('to_addr', '=', 'agent@provider.example').execute());
      assert.deepEqual(mail.map((m) => m.kind), ['starting_guide']);
      assert.match((await cli(env, 'operator', 'list')).out.join('\n'), /agent@provider\.example\s+agent\s+setup pending/);

      const set = await cli(env, 'operator', 'set-role', '--login-id', 'agent@provider.example', '--role', 'service_manager');
      assert.equal(set.code, 0, set.err.join('\n'));
      assert.match((await cli(env, 'operator', 'list')).out.join('\n'), /agent@provider\.example\s+service_manager/);
      const audited = await inspect(env, (db) => db.selectFrom('audit_log').select('detail').where('event', '=', 'operator.role_changed').execute());
      assert.deepEqual(audited.map((a) => JSON.parse(a.detail)), [{ from: 'agent', to: 'service_manager' }]);

      const refused = await cli(env, 'operator', 'set-role', '--login-id', 'admin@example.com', '--role', 'agent');
      assert.notEqual(refused.code, 0);
      assert.match(refused.err.join('\n'), /provider organisation/);
      assert.equal((await cli(env, 'operator', 'add', '--email', 'x@provider.example', '--name', 'X', '--role', 'root')).code, 2);
    });
  });
}
