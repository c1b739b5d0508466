// The maintenance calendar (issue 24 item 3): the settings page under the portal session, and the
// two feeds a calendar application or feed reader polls without one: GET /calendar/<token>.ics
// (BCOP MAINTNOTE events) and GET /calendar/<token>.atom (the notices). Both answer for the token's
// user exactly what the contract rule (access.ts) lets that user see, read at the time of the poll.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { authOf, guardRoutes, requirePortal } from '../../auth/index.ts';
import { contractScope } from '../access.ts';
import { enforceCalendarRouteList } from '../route-list.ts';
import { calendarFor, feedNoticesFor, type MaintSetting } from '../notices/service.ts';
import { serviceName } from '../notices/views.tsx';
import { atomText } from './atom.ts';
import { calendarTokenOf, createCalendarToken, revokeCalendarToken, userOfCalendarToken } from './service.ts';
import { CalendarPage } from './views.tsx';

const Token = Type.Object({ token: Type.String({ maxLength: 100 }) });

/** The settings page: needs a portal session like every portal page. */
export function calendarRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceCalendarRouteList(app as unknown as FastifyInstance, 'calendar');
    guardRoutes(app as unknown as FastifyInstance, ctx, requirePortal);
    const urlsOf = (token: string) => ({ ics: new URL(`/calendar/${token}.ics`, ctx.config.publicUrl).toString(), atom: new URL(`/calendar/${token}.atom`, ctx.config.publicUrl).toString() });

    app.get('/portal/calendar', { schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
      const token = await calendarTokenOf(ctx.db, authOf(req).user.id);
      if (req.wantsJson()) return reply.header('cache-control', 'no-store').send({ token });
      return sendPage(reply, CalendarPage({ ctx: req.pageCtx(), token, notice: req.query.done === 'revoked' ? req.t('calendar.revoked') : null }));
    });

    // Creates (or replaces) the address and shows it this once: a page, not a redirect, never cached.
    app.post('/portal/calendar', { schema: { body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (req, reply) => {
      const user = authOf(req).user;
      const token = await createCalendarToken(ctx.db, { id: user.id, organisationId: user.organisation_id }, req.ip, ctx.now());
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (req.wantsJson()) return reply.code(201).send(urlsOf(token));
      return sendPage(reply, CalendarPage({ ctx: req.pageCtx(), token: await calendarTokenOf(ctx.db, user.id), urls: urlsOf(token) }));
    });

    app.post('/portal/calendar/revoke', { schema: { body: Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 128 })) }) } }, async (req, reply) => {
      const user = authOf(req).user;
      await revokeCalendarToken(ctx.db, { id: user.id, organisationId: user.organisation_id }, req.ip, ctx.now());
      if (req.wantsJson()) return reply.send({ status: 'revoked' });
      return reply.redirect('/portal/calendar?done=revoked', 303);
    });
  };
}

/** The feeds: no session; the token in the path is the credential. */
export function calendarFeedRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceCalendarRouteList(app as unknown as FastifyInstance, 'calendar');
    const setting: MaintSetting = { publicUrl: ctx.config.publicUrl, mailFrom: ctx.config.mailFrom };
    const feedHeaders = (reply: FastifyReply, type: string) => reply.header('content-type', type)
      .header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');

    async function reader(token: string) {
      const user = await userOfCalendarToken(ctx.db, token, ctx.now());
      // Unknown, revoked or a disabled user's token: the same 404 as any unknown address.
      if (!user) throw new DomainError('common.not_found');
      return { user, scope: await contractScope(ctx.db, { userId: user.id, organisationId: user.organisation_id, role: user.role }) };
    }

    app.get('/calendar/:token.ics', { schema: { params: Token } }, async (req, reply) => {
      const { user, scope } = await reader(req.params.token);
      const text = await calendarFor(ctx.db, scope, ctx.now(), setting, user.lang, req.pageCtxIn(user.lang).t('calendar.title'));
      return feedHeaders(reply, 'text/calendar; charset=utf-8').send(text);
    });

    app.get('/calendar/:token.atom', { schema: { params: Token } }, async (req, reply) => {
      const { user, scope } = await reader(req.params.token);
      const lang = user.lang;
      const notices = await feedNoticesFor(ctx.db, scope, ctx.now());
      const { t } = req.pageCtxIn(lang);
      const site = new URL('/portal/notices', ctx.config.publicUrl).toString();
      const entries = notices.map((n) => {
        const updated = Math.max(n.startsAt, ...n.statusHistory.map((h) => h.at));
        const lines = n.contracts.map((c) => `${c.number}: ${t(`notices.impact.${c.impact}`)}`);
        return {
          id: new URL(`/portal/notices/${n.id}`, ctx.config.publicUrl).toString(),
          title: `[${t(`notices.kind.${n.kind}`)} / ${t(`notices.status.${n.status}`)}] ${lang === 'en' ? n.titleEn : n.titleJa}`,
          summary: [serviceName(t, lang, n), lang === 'en' ? n.bodyEn : n.bodyJa, ...lines].join('\n'),
          url: new URL(`/portal/notices/${n.id}`, ctx.config.publicUrl).toString(),
          published: n.statusHistory[0]?.at ?? n.startsAt, updated,
        };
      });
      const text = atomText({
        id: `urn:bizportal:notices:${user.id}`, title: t('calendar.feed_title', { name: user.name }), selfUrl: new URL(`/calendar/${req.params.token}.atom`, ctx.config.publicUrl).toString(),
        siteUrl: site, lang, updated: Math.max(0, ...entries.map((e) => e.updated)), entries,
      });
      return feedHeaders(reply, 'application/atom+xml; charset=utf-8').send(text);
    });
  };
}
