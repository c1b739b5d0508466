// `keys rotate-totp` re-seals every long-lived secret under TOTP_KEY, not only the TOTP secrets: one
// value per listed column is sealed under the old key, the rotation runs, and each opens with the new
// key alone under its own row's AAD (the function its reader uses); a second run finds nothing.
// A table with a sealed column that is not listed fails the last test. Both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { freshDb, testDialects } from '../../test/helpers/db.ts';
import { createOrganisation } from '../auth/tenancy/organisations.ts';
import { insertUser } from '../auth/users/store.ts';
import { keyId, open, seal } from '../auth/crypto/secret-box.ts';
import { rotateColumn } from '../auth/factors/key-rotation.ts';
import { saveTotpEnrolment } from '../auth/login/factor-store.ts';
import { aad as matrixAad, saveMatrixPassword } from '../auth/matrix/store.ts';
import { aad as oidcKeyAad } from '../oidc/keys.ts';
import { secretAad } from '../oidc/clients.ts';
import { webhookAad } from '../api/hub.ts';
import { SEALED_AT_REST } from '../sealed-at-rest.ts';

const NOW = 1_800_000_000_000;

for (const dialect of testDialects()) {
  describe(`${dialect}: every secret sealed at rest rotates with TOTP_KEY`, () => {
    it('TOTP secrets, matrix passwords, OpenID Connect keys and client secrets, webhook keys: re-sealed, opened by their readers\' AAD, resumable', async (t) => {
      const { db } = await freshDb(dialect, t);
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const org = await createOrganisation(db, { name: 'A', kind: 'direct' }, NOW);
      const u = await insertUser(db, { organisationId: org.id, loginId: 'u@example.com', email: 'u@example.com', name: 'n', phone: '0312345678', role: 'admin', lang: 'ja' }, NOW);
      await saveTotpEnrolment(db, u.id, seal(oldKey, 'TOTPSECRET', u.id), 1, NOW);
      await saveMatrixPassword(db, u.id, seal(oldKey, '{"r":6,"c":8,"p":[1]}', matrixAad(u.id)), NOW);
      await db.insertInto('oidc_key').values({ kid: 'k1', alg: 'RS256', private_enc: seal(oldKey, '{"d":"x"}', oidcKeyAad('k1')), public_jwk: '{}', created_at: NOW, retired_at: null }).execute();
      await db.insertInto('oidc_client').values({ id: 'c1', service_id: null, name: 'site', metadata: '{}', secret_enc: seal(oldKey, 'client-secret', secretAad('c1')), first_party_at: null, created_at: NOW, secret_rotated_at: null }).execute();
      await db.insertInto('oidc_client').values({ id: 'c2', service_id: null, name: 'jwt site', metadata: '{}', secret_enc: null, first_party_at: null, created_at: NOW, secret_rotated_at: null }).execute();
      await db.insertInto('api_token').values({ id: 't1', organisation_id: org.id, name: 'ops', token_hash: 'h', scopes: 'read', created_by: u.id, created_at: NOW, last_used_at: null, revoked_at: null }).execute();
      await db.insertInto('webhook_subscription').values({ id: 'w1', organisation_id: org.id, token_id: 't1', callback: 'https://example.com/hook', query: '', event_types: 'x', secret_enc: seal(oldKey, 'hmac-key', webhookAad('w1')), created_at: NOW, removed_at: null }).execute();

      const ring = [newKey, oldKey];
      const results = [];
      for (const col of SEALED_AT_REST) results.push([col.name, await rotateColumn(db, ring, col)]);
      assert.deepEqual(results.map(([n, r]) => [n, r]), [
        ['TOTP secrets', { done: 1, remaining: 0 }], ['matrix passwords', { done: 1, remaining: 0 }],
        ['OpenID Connect signing keys', { done: 1, remaining: 0 }], ['OpenID Connect client secrets', { done: 1, remaining: 0 }], ['webhook keys', { done: 1, remaining: 0 }],
      ], 'one value each; the client without a secret is not a box');

      const under = (box: string) => assert.ok(box.startsWith(`v1.${keyId(newKey)}.`), box.slice(0, 20));
      const f = await db.selectFrom('factor').select('secret_enc').where('user_id', '=', u.id).executeTakeFirstOrThrow();
      under(f.secret_enc);
      assert.equal(open(newKey, f.secret_enc, u.id), 'TOTPSECRET');
      const m = await db.selectFrom('matrix_password').select('positions_enc').executeTakeFirstOrThrow();
      assert.equal(open(newKey, m.positions_enc, matrixAad(u.id)), '{"r":6,"c":8,"p":[1]}');
      const k = await db.selectFrom('oidc_key').select('private_enc').executeTakeFirstOrThrow();
      assert.equal(open(newKey, k.private_enc, oidcKeyAad('k1')), '{"d":"x"}');
      const c = await db.selectFrom('oidc_client').select(['id', 'secret_enc']).orderBy('id').execute();
      assert.equal(open(newKey, c[0]!.secret_enc!, secretAad('c1')), 'client-secret');
      assert.equal(c[1]!.secret_enc, null, 'no secret stays none');
      const w = await db.selectFrom('webhook_subscription').select('secret_enc').executeTakeFirstOrThrow();
      assert.equal(open(newKey, w.secret_enc, webhookAad('w1')), 'hmac-key');
      assert.throws(() => open(oldKey, w.secret_enc, webhookAad('w1')), 'the old key no longer opens it');

      for (const col of SEALED_AT_REST) assert.deepEqual(await rotateColumn(db, ring, col), { done: 0, remaining: 0 }, `${col.name}: a second run finds nothing`);
    });

    it('every column of the schema that holds a sealed box is listed (names ending in _enc)', async (t) => {
      const { db } = await freshDb(dialect, t);
      const columns = dialect === 'sqlite'
        ? (await sql<{ t: string; c: string }>`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'`.execute(db)).rows
        : (await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()`.execute(db)).rows;
      const sealed = columns.filter((r) => r.c.endsWith('_enc')).map((r) => `${r.t}.${r.c}`).sort();
      const listed = SEALED_AT_REST.map((c) => `${c.table}.${c.column}`);
      assert.ok(sealed.length >= 5, sealed.join(' '));
      assert.deepEqual(sealed.filter((x) => !listed.includes(x)), [], 'a sealed column that the rotation would miss');
    });
  });
}
