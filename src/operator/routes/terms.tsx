// Console terms (issue 26 item 5, operator_admin): versions, the diff against the current version
// shown before publishing, publishing through the same auth service as `bizportal terms publish`.
// JSON twins under /api/operator. Guard and role: route-list.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { attempt } from '../../web/attempt.ts';
import { checkTerms, diffAgainstCurrent, diffOfVersion, listTermsVersions, publishCheckedTerms, type TermsInput } from '../../auth/service.ts';
import { csrf, Id, operatorOf, sendJsonError } from '../guard.ts';
import { TermsDiffPage, TermsListPage, TermsVersionPage } from '../views/terms.tsx';

const BASES = ['/operator', '/api/operator'] as const;
const Texts = {
  titleJa: Type.String({ maxLength: 2000 }), titleEn: Type.String({ maxLength: 2000 }),
  bodyJa: Type.String({ maxLength: 200_000 }), bodyEn: Type.String({ maxLength: 200_000 }),
};
const DiffBody = Type.Object({ ...Texts, edit: Type.Optional(Type.Literal('1')), ...csrf });
// basedOn: the id of the version the diff was made against; '' when none was published.
const PublishBody = Type.Object({ ...Texts, basedOn: Type.String({ maxLength: 64 }), ...csrf });
const EMPTY: TermsInput = { titleJa: '', titleEn: '', bodyJa: '', bodyEn: '' };

export function termsConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const base of BASES) {
      app.get(`${base}/terms`, { schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })) }) } }, async (req, reply) => {
        const versions = await listTermsVersions(ctx.db);
        if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ versions: versions.map((v) => ({ id: v.id, version: v.version, titleJa: v.title_ja, titleEn: v.title_en, publishedAt: new Date(v.published_at).toISOString(), acceptances: v.acceptances })) });
        // The form starts from the current texts: a new version is usually an edit of the last one.
        const cur = versions[0];
        const values = cur ? { titleJa: cur.title_ja, titleEn: cur.title_en, bodyJa: cur.body_ja, bodyEn: cur.body_en } : EMPTY;
        const done = req.query.done ? req.t('console.terms.published', { version: Number(req.query.done) }) : null;
        return sendPage(reply, TermsListPage({ ctx: req.pageCtx(), role: operatorOf(req).role, versions, values, done }));
      });

      app.post(`${base}/terms/diff`, { schema: { body: DiffBody } }, async (req, reply) => {
        const values: TermsInput = { titleJa: req.body.titleJa, titleEn: req.body.titleEn, bodyJa: req.body.bodyJa, bodyEn: req.body.bodyEn };
        const role = operatorOf(req).role;
        if (req.body.edit === '1' && !req.wantsJson()) return sendPage(reply, TermsListPage({ ctx: req.pageCtx(), role, versions: await listTermsVersions(ctx.db), values }));
        const r = await attempt(() => diffAgainstCurrent(ctx.db, values));
        if (!r.ok) {
          if (req.wantsJson()) return sendJsonError(req, reply, r.err);
          return sendPage(reply, TermsListPage({ ctx: req.pageCtx(), role, versions: await listTermsVersions(ctx.db), values, error: { key: r.err.code, params: r.err.params }, errors: r.err.fields }), r.err.status);
        }
        if (req.wantsJson()) return reply.send({ basedOn: r.value.previous?.id ?? '', diff: r.value });
        return sendPage(reply, TermsDiffPage({ ctx: req.pageCtx(), role, values: checkTerms(values), diff: r.value, nextVersion: (r.value.previous?.version ?? 0) + 1 }));
      });

      app.post(`${base}/terms`, { schema: { body: PublishBody } }, async (req, reply) => {
        const values: TermsInput = { titleJa: req.body.titleJa, titleEn: req.body.titleEn, bodyJa: req.body.bodyJa, bodyEn: req.body.bodyEn };
        const op = operatorOf(req);
        const r = await attempt(() => publishCheckedTerms(ctx, values, op.actor, req.body.basedOn === '' ? null : req.body.basedOn));
        if (!r.ok) {
          if (req.wantsJson()) return sendJsonError(req, reply, r.err);
          // Stale (a version was published meanwhile) or refused texts: the diff again, against what is current now.
          const d = await attempt(() => diffAgainstCurrent(ctx.db, values));
          if (!d.ok) return sendPage(reply, TermsListPage({ ctx: req.pageCtx(), role: op.role, versions: await listTermsVersions(ctx.db), values, error: { key: d.err.code, params: d.err.params }, errors: d.err.fields }), d.err.status);
          return sendPage(reply, TermsDiffPage({ ctx: req.pageCtx(), role: op.role, values: checkTerms(values), diff: d.value, nextVersion: (d.value.previous?.version ?? 0) + 1, error: { key: r.err.code } }), r.err.status);
        }
        if (req.wantsJson()) return reply.code(201).send({ version: { id: r.value.id, version: r.value.version, publishedAt: new Date(r.value.published_at).toISOString() } });
        return reply.redirect(`/operator/terms?done=${r.value.version}`, 303);
      });

      app.get(`${base}/terms/:versionId`, { schema: { params: Type.Object({ versionId: Id }) } }, async (req, reply) => {
        const { version, diff } = await diffOfVersion(ctx.db, req.params.versionId);
        if (req.wantsJson()) {
          return reply.header('cache-control', 'no-store').send({
            version: { id: version.id, version: version.version, titleJa: version.title_ja, titleEn: version.title_en, bodyJa: version.body_ja, bodyEn: version.body_en, publishedAt: new Date(version.published_at).toISOString() },
            diff,
          });
        }
        return sendPage(reply, TermsVersionPage({ ctx: req.pageCtx(), role: operatorOf(req).role, version, diff }));
      });

    }
  };
}
