// Renders a TSX page to a string (auto-escaped by preact-render-to-string) and sends it.
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  // Authentication and account pages must never be cached (SECURITY.md item 33).
  return reply.code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send('<!doctype html>' + renderToString(page));
}
