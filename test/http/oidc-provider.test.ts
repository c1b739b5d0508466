// Issue 18: bizportal as an OpenID Connect provider for the settings sites, over real HTTP with a
// certified relying-party library (openid-client), on both databases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/db.ts';
import { givenWorld, sessionFor } from '../helpers/portal-world.ts';
import { registerClient, Rp, walk } from '../helpers/oidc.ts';

for (const dialect of testDialects()) {
  describe(`OpenID Connect provider (${dialect})`, () => {
    it('a signed-in user with a full 2-step gets an ID token with the contract, no new password', async (t) => {
      const app = await startTestApp(dialect, t);
      await givenWorld(app.ctx.db);
      const { id, secret } = await registerClient(app.ctx, { serviceCode: 'colo' });
      const rp = await Rp.discover(app.url, id, secret);
      const b = await sessionFor(app, 'aGen', 'A');
      const begun = await rp.begin({ contract: 'N000000001' });
      const { callback, res } = await walk(b, begun.url.href);
      assert.ok(callback, `stopped at ${res.status} ${res.body.slice(0, 300)}`);
      const tokens = await rp.finish(callback, begun);
      const claims = tokens.claims()!;
      assert.equal(claims.sub, 'aGen');
      assert.equal(claims.iss, app.url);
      assert.equal(claims.nonce, begun.nonce);
      assert.equal(claims.acr, 'aal2');
      assert.deepEqual(claims.contract, { number: 'N000000001', service: 'colo' });
      assert.deepEqual(claims.organisation, { id: 'A', name: 'Org A' });
      assert.equal(claims.email, 'aGen@example.com');
      const info = await rp.userinfo(tokens.access_token, "aGen");
      assert.deepEqual(info.contract, { number: 'N000000001', service: 'colo' });
    });
  });
}
