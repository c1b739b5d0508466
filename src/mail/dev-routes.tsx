// Development-only outbox page (never registered in production): lets a newcomer follow the
// starting guide without an SMTP server (README walkthrough).
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { formatDateTime } from '../i18n/index.ts';
import { sendPage } from '../web/render.ts';
import { Layout } from '../web/views/layout.tsx';
import { Card, EmptyState, PageHeader } from '../web/views/components.ts';
import { listOutbox } from './service.ts';

export function devRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/dev/outbox', { schema: { hide: true } }, async (req, reply) => {
      const mails = await listOutbox(ctx.db, { limit: 50, includeBody: true });
      const pc = req.pageCtx();
      const { t } = pc;
      return sendPage(reply, (
        <Layout ctx={pc} title={t('outbox.title')} wide>
          <PageHeader title={t('outbox.title')} />
          {mails.length === 0 && <EmptyState heading={t('outbox.empty')} />}
          {mails.map((m) => (
            <Card class="mail">
              <dl class="facts">
                <dt>{t('outbox.to')}</dt><dd>{m.to}</dd>
                <dt>{t('outbox.subject')}</dt><dd>{m.subject}</dd>
                <dt>{t('outbox.state')}</dt><dd>{m.state}</dd>
                <dt>{t('outbox.created')}</dt><dd>{formatDateTime(m.createdAt, pc.lang)}</dd>
              </dl>
              <pre class="mail-body">{m.bodyText}</pre>
            </Card>
          ))}
        </Layout>
      ));
    });
  };
}
