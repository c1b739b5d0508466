// One JSON error shape (issue 13 item 7): {error, message, fields: {name: [messages]}} for every
// JSON error answer — the flow and reset routes included, which dropped the password rules before.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { Browser } from '../helpers/client.ts';
import { givenUser, completeFirstLogin } from '../helpers/scenario.ts';
import { api, givenOrg, loggedIn } from '../helpers/admin.ts';
import { PW, openResetLink, postResetForm, resetFields, resetLinkFor } from '../helpers/reset.ts';

function assertShape(j: any, code: string): void {
  assert.deepEqual(Object.keys(j).sort(), ['error', 'fields', 'message']);
  assert.equal(j.error, code);
  assert.equal(typeof j.message, 'string');
  assert.ok(j.message.length > 0 && j.message !== code, 'a translated message');
  for (const [name, list] of Object.entries(j.fields)) {
    assert.ok(Array.isArray(list) && list.length > 0 && list.every((m) => typeof m === 'string' && m.length > 0), name);
  }
}

for (const dialect of testDialects()) {
  describe(`${dialect}: JSON error shape`, () => {
    it('a refused reset password lists every broken rule under fields.password', async (t) => {
      const app = await startTestApp(dialect, t);
      const u = await givenUser(app.ctx);
      await completeFirstLogin(new Browser(app.url), u, PW);
      const b = new Browser(app.url);
      await postResetForm(b, resetFields(u));
      const action = await openResetLink(b, await resetLinkFor(app, u));
      const weak = await api(app, b, 'POST', action, { password: 'abc', confirm: 'abc' });
      assert.equal(weak.status, 422);
      assertShape(weak.json(), 'auth.password_policy');
      assert.ok(weak.json().fields.password.length >= 2, `every broken rule: ${JSON.stringify(weak.json().fields)}`);
      const mismatch = await api(app, b, 'POST', action, { password: 'Nw8$rTy3uWq5', confirm: 'Nw8$rTy3uWq6' });
      assertShape(mismatch.json(), 'auth.password_mismatch');
      assert.ok(mismatch.json().fields.confirm);
      assert.equal((await api(app, b, 'POST', action, { password: 'Nw8$rTy3uWq5', confirm: 'Nw8$rTy3uWq5' })).status, 303);
      const wrongStep = await api(app, b, 'POST', action, { password: 'Nw8$rTy3uWq5', confirm: 'Nw8$rTy3uWq5' });
      assert.equal(wrongStep.status, 409);
      assertShape(wrongStep.json(), 'auth.wrong_step');
      assert.deepEqual(wrongStep.json().fields, {});
    });

    it('the login form, a bad body and an unknown page answer in the same shape', async (t) => {
      const app = await startTestApp(dialect, t);
      const b = new Browser(app.url);
      await b.get('/login');
      const empty = await api(app, b, 'POST', '/login', { loginId: ' ', password: '' });
      assert.equal(empty.status, 422);
      assertShape(empty.json(), 'common.field_errors');
      assert.deepEqual(Object.keys(empty.json().fields).sort(), ['loginId', 'password']);
      const bad = await api(app, b, 'POST', '/login', { loginId: 'x' });
      assert.equal(bad.status, 400);
      assertShape(bad.json(), 'common.bad_request');
      assert.ok(bad.json().fields.password, 'the missing field is named');
      const wrong = await api(app, b, 'POST', '/login', { loginId: 'nobody@example.com', password: 'whatever-it-is' });
      assert.equal(wrong.status, 401);
      assertShape(wrong.json(), 'auth.invalid_credentials');
      const missing = await api(app, b, 'GET', '/no/such/page');
      assert.equal(missing.status, 404);
      assertShape(missing.json(), 'common.not_found');
    });

    it('an admin refusal and a page that needs a session answer in the same shape (401 with empty fields)', async (t) => {
      const app = await startTestApp(dialect, t);
      const org = await givenOrg(app, 'direct');
      const { b } = await loggedIn(app, org, 'admin');
      await b.get('/admin/users/new');
      const refused = await api(app, b, 'POST', '/admin/users', { name: '山田 太郎', phone: '0312345678', role: 'general', email: 'not an address' });
      assert.equal(refused.status, 400);
      assertShape(refused.json(), refused.json().error);
      assert.ok(refused.json().fields.email, 'the field is named');
      const ok = await api(app, b, 'POST', '/admin/users', { name: '山田 花子', phone: '0312345678', role: 'general', email: 'hanako@example.com' });
      assert.equal(ok.status, 201);
      const signedOut = await api(app, new Browser(app.url), 'GET', '/portal/contracts');
      assert.equal(signedOut.status, 401);
      assertShape(signedOut.json(), 'auth.unauthenticated');
      assert.deepEqual(signedOut.json().fields, {});
    });
  });
}
