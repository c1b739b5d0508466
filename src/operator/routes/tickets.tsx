// Tickets inbox (issue 26 item 2): filled in by the next commit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.ts';

export function ticketConsoleRoutes(_ctx: AppContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
