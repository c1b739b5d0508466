// GET /help and /help/:topic: public (a locked-out user needs them), branded by the visitor's
// profile (session, or ?portal=), cacheable like any page without personal data is not: no-store
// stays, as sendPage sets it for every page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../errors.ts';
import { sendPage } from '../web/render.ts';
import { isHelpTopic } from './content.ts';
import { HelpIndexPage, HelpTopicPage } from './views.tsx';

export function helpRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/help', async (req, reply) => sendPage(reply, HelpIndexPage({ ctx: req.pageCtx() })));
    app.get('/help/:topic', { schema: { params: Type.Object({ topic: Type.String({ maxLength: 40 }) }) } }, async (req, reply) => {
      if (!isHelpTopic(req.params.topic)) throw new DomainError('common.not_found');
      return sendPage(reply, HelpTopicPage({ ctx: req.pageCtx(), topic: req.params.topic }));
    });
  };
}
