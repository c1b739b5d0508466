// Issue 24 item 2: a user's maintenance-mail subscription (portal session) and a technical contact's
// unsubscribe link (no session: the signed link is the credential, and all it can do is remove that
// address from the organisation's contacts). GET never changes anything: the link opens a
// confirmation, and the form's POST (CSRF-checked like every form) unsubscribes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { attempt } from '../../web/attempt.ts';
import { authOf, guardRoutes, requirePortal } from '../../auth/index.ts';
import { sessionScope } from '../viewer.ts';
import { visibleContractChoices, visibleServices } from '../visible.ts';
import { enforceSubscriptionRouteList } from '../route-list.ts';
import { saveSubscription, subscriptionOf, type Subscription } from './subscriptions.ts';
import { contactOfUnsubscribeToken, unsubscribeContact } from './contacts.ts';
import { REMINDER_LEAD_MS } from './reminders.ts';
import { SubscriptionPage, UnsubscribePage, type SubscriptionChoices } from './subscription-views.tsx';

const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };
const Many = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: max })]));
const MAX_LISTED = 500;
const LEAD_HOURS = Math.round(REMINDER_LEAD_MS / 3_600_000);

export function subscriptionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceSubscriptionRouteList(app as unknown as FastifyInstance, 'subscriptions');
    guardRoutes(app as unknown as FastifyInstance, ctx, requirePortal);

    async function page(req: FastifyRequest, reply: FastifyReply, sub: Subscription, extra: { err?: DomainError; saved?: boolean } = {}) {
      const scope = sessionScope(authOf(req));
      if (req.wantsJson()) {
        if (extra.err) return reply.code(extra.err.status).send({ code: extra.err.code, fields: extra.err.fields });
        return reply.send({ subscription: sub, leadHours: LEAD_HOURS });
      }
      const lang = req.lang;
      const [services, contracts] = await Promise.all([visibleServices(ctx.db, scope), visibleContractChoices(ctx.db, scope, MAX_LISTED + 1)]);
      const choices: SubscriptionChoices = {
        services: services.map((s) => ({ id: s.id, name: lang === 'en' ? s.nameEn : s.nameJa })),
        contracts: contracts.slice(0, MAX_LISTED).map((c) => ({ id: c.id, number: c.number, service: lang === 'en' ? c.name_en : c.name_ja })),
        capped: contracts.length > MAX_LISTED, max: MAX_LISTED,
      };
      return sendPage(reply, SubscriptionPage({ ctx: req.pageCtx(), sub, choices, leadHours: LEAD_HOURS, fields: extra.err?.fields ?? {}, saved: extra.saved ?? false }), extra.err?.status ?? 200);
    }

    app.get('/portal/subscriptions', { schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
      return page(req, reply, await subscriptionOf(ctx.db, authOf(req).user.id), { saved: req.query.done === 'saved' });
    });

    app.post('/portal/subscriptions', {
      schema: {
        body: Type.Object({
          scope: Type.String({ maxLength: 20 }), minImpact: Type.String({ maxLength: 30 }),
          events: Many(10), services: Many(200), contracts: Many(1000), ...csrf,
        }),
      },
    }, async (req, reply) => {
      const auth = authOf(req);
      const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
      const input = { scope: req.body.scope, minImpact: req.body.minImpact, events: list(req.body.events), serviceIds: list(req.body.services), contractIds: list(req.body.contracts) };
      const r = await attempt(() => saveSubscription(ctx.db, sessionScope(auth), input, req.ip, ctx.now()));
      if (!r.ok) {
        const current = { scope: input.scope, minImpact: input.minImpact, events: input.events, serviceIds: input.serviceIds, contractIds: input.contractIds } as Subscription;
        return page(req, reply, current, { err: r.err });
      }
      if (req.wantsJson()) return reply.send({ subscription: r.value, leadHours: LEAD_HOURS });
      return reply.redirect('/portal/subscriptions?done=saved', 303);
    });
  };
}

const Token = Type.Object({ token: Type.String({ maxLength: 200 }) });

/** The technical contact's link: no session. */
export function unsubscribeRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    enforceSubscriptionRouteList(app as unknown as FastifyInstance, 'subscriptions');
    const headers = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');

    const confirmation = async (req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
      const contact = await contactOfUnsubscribeToken(ctx.db, ctx.config.secretKey, req.params.token);
      // Malformed, forged, or already removed: the same 404 as any unknown address.
      if (!contact) throw new DomainError('common.not_found');
      headers(reply);
      if (req.wantsJson()) return reply.send({ email: contact.email });
      return sendPage(reply, UnsubscribePage({ ctx: req.pageCtx(), email: contact.email, token: req.params.token, done: false }));
    };
    app.get('/notices/unsubscribe/:token', { schema: { params: Token } }, confirmation);
    // The List-Unsubscribe address, when a person opens it instead of the provider posting to it.
    app.get('/notices/unsubscribe/:token/one-click', { schema: { params: Token } }, confirmation);

    // RFC 8058: the mail provider posts `List-Unsubscribe=One-Click` to the header's address, without
    // cookies, so no CSRF token can come with it. None is needed: CSRF guards requests that ride on a
    // browser's ambient credentials, and this one carries its own (the signed link), which does one
    // thing only. A body without that field is refused, so a plain link prefetch changes nothing.
    app.post('/notices/unsubscribe/:token/one-click', {
      config: { csrf: false },
      schema: { params: Token, body: Type.Object({ 'List-Unsubscribe': Type.Literal('One-Click') }) },
    }, async (req, reply) => {
      if (!(await unsubscribeContact(ctx.db, ctx.config.secretKey, req.params.token, req.ip, ctx.now()))) throw new DomainError('common.not_found');
      headers(reply);
      return reply.code(200).type('text/plain; charset=utf-8').send('unsubscribed\n');
    });

    app.post('/notices/unsubscribe/:token', { schema: { params: Token, body: Type.Object({ ...csrf }) } }, async (req, reply) => {
      if (!(await unsubscribeContact(ctx.db, ctx.config.secretKey, req.params.token, req.ip, ctx.now()))) throw new DomainError('common.not_found');
      headers(reply);
      if (req.wantsJson()) return reply.send({ status: 'unsubscribed' });
      return sendPage(reply, UnsubscribePage({ ctx: req.pageCtx(), email: null, token: '', done: true }));
    });
  };
}
