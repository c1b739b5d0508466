// The ceiling (PERFORMANCE.md "cookie → session row, Kysely + …"): a bare Fastify app whose one route
// reads the session row for the request's cookie through the same openDb()/Kysely as the portal.
// No helmet, CSRF, i18n, user or page: what any session-authenticated request costs at least.
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { openDb } from '../src/db/index.ts';
import { sha256Hex } from '../src/auth/crypto/tokens.ts';

const handle = openDb(process.env.DATABASE_URL!);
const app = Fastify({ logger: false });
await app.register(cookie);

app.get('/bare', async (req, reply) => {
  const token = req.cookies.bp_session;
  if (!token) return reply.code(401).send({ ok: false });
  const row = await handle.db.selectFrom('session').selectAll().where('id', '=', sha256Hex(token)).executeTakeFirst();
  const now = Date.now();
  if (!row || row.revoked_at !== null || row.expires_at <= now) return reply.code(401).send({ ok: false });
  return { ok: true, user: row.user_id };
});

async function shutdown(): Promise<void> {
  await app.close();
  await handle.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.send?.('ready');
