// Publishing a terms version from the console or the CLI (issue 26 item 5), on both databases:
// the diff against the current version is what changes, per language; bad texts name every field
// and publish nothing; the versions list counts acceptances; a published version's own diff is
// against the one before it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/helpers/db.ts';
import { startTestApp } from '../../../../test/helpers/app.ts';
import { givenUser } from '../../../../test/helpers/scenario.ts';
import { acceptTerms, diffAgainstCurrent, diffOfVersion, listTermsVersions, publishCheckedTerms } from '../service.ts';

const OPS = { userId: null, ip: '192.0.2.9' };
const V1 = { titleJa: '規約', titleEn: 'Terms', bodyJa: '第1条\n第2条\n第3条', bodyEn: 'Art. 1\nArt. 2\nArt. 3' };

for (const dialect of testDialects()) {
  describe(`${dialect}: terms versions from the console and the CLI`, () => {
    it('diff against the current version, refusals that publish nothing, the list with acceptances', async (t) => {
      const app = await startTestApp(dialect, t);
      const first = await diffAgainstCurrent(app.ctx.db, V1);
      assert.equal(first.previous, null);
      assert.ok(first.body.en.every((l) => l.op === 'add'), 'nothing published yet: all added');
      const v1 = await publishCheckedTerms(app.ctx, V1, OPS);
      const user = await givenUser(app.ctx);
      await acceptTerms(app.ctx, user.id, user.orgId, v1.id, true, '127.0.0.1');

      const next = { ...V1, bodyJa: '第1条\n第2条(改)\n第3条', bodyEn: 'Art. 1\nArt. 2\nArt. 3\nArt. 4 <b>new</b>' };
      const d = await diffAgainstCurrent(app.ctx.db, next);
      assert.equal(d.previous?.version, v1.version);
      assert.equal(d.changed, true);
      assert.deepEqual(d.body.ja.filter((l) => l.op !== 'same').map((l) => `${l.op} ${l.text}`), ['del 第2条', 'add 第2条(改)']);
      assert.deepEqual(d.body.en.filter((l) => l.op !== 'same').map((l) => `${l.op} ${l.text}`), ['add Art. 4 <b>new</b>']);
      assert.equal(d.title.ja.every((l) => l.op === 'same'), true);
      assert.equal((await diffAgainstCurrent(app.ctx.db, V1)).changed, false, 'the same text: no changes');

      const count = async () => (await app.ctx.db.selectFrom('terms_version').select('id').execute()).length;
      const before = await count();
      for (const [bad, fields] of [
        [{ ...next, titleJa: ' ' }, ['titleJa']], [{ ...next, bodyEn: '\n \n' }, ['bodyEn']], [{ ...next, titleEn: 'x'.repeat(201), bodyJa: '' }, ['bodyJa', 'titleEn']],
      ] as const) {
        await assert.rejects(publishCheckedTerms(app.ctx, bad, OPS), (e: { code: string; fields: Record<string, unknown> }) => {
          assert.equal(e.code, 'terms.text_invalid');
          assert.deepEqual(Object.keys(e.fields).sort(), [...fields]);
          return true;
        });
        await assert.rejects(diffAgainstCurrent(app.ctx.db, bad), { code: 'terms.text_invalid' });
      }
      assert.equal(await count(), before, 'refused: nothing published');

      const v2 = await publishCheckedTerms(app.ctx, { ...next, bodyEn: '\uFEFF' + next.bodyEn }, OPS);
      assert.equal(v2.version, v1.version + 1);
      assert.equal(v2.body_en, next.bodyEn, 'a BOM is not part of the terms');
      const list = await listTermsVersions(app.ctx.db);
      assert.deepEqual(list.map((r) => [r.version, r.acceptances]), [[v2.version, 0], [v1.version, 1]]);
      const own = await diffOfVersion(app.ctx.db, v2.id);
      assert.equal(own.diff.previous?.id, v1.id);
      assert.deepEqual(own.diff.body.ja.filter((l) => l.op !== 'same').map((l) => l.text), ['第2条', '第2条(改)']);
      await assert.rejects(diffOfVersion(app.ctx.db, 'nope'), { code: 'common.not_found' });
      const audit = await app.ctx.db.selectFrom('audit_log').select(['event', 'ip']).where('event', '=', 'terms.published').execute();
      assert.deepEqual(audit.map((a) => a.ip), [OPS.ip, OPS.ip]);
    });

    it('two publishers with the same diff at once: one version, the other told it is stale', async (t) => {
      const app = await startTestApp(dialect, t);
      const v1 = await publishCheckedTerms(app.ctx, V1, OPS);
      const results = await Promise.allSettled([1, 2, 3].map((i) => publishCheckedTerms(app.ctx, { ...V1, bodyEn: `Art. ${i}` }, OPS, v1.id)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'terms.stale');
      assert.equal((await listTermsVersions(app.ctx.db)).length, 2);
    });
  });
}
