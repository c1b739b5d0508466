// The confirmation step of a destructive admin action (issue 20 item 5): names the user or group and
// what happens, with a danger «confirm» button that posts confirm=yes and a way back. It works without
// JavaScript; the server refuses the action without confirm=yes (routes/confirm.ts), so a forged or
// old form that skips this page changes nothing.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf } from '../../web/views/form.tsx';
import { Button, ButtonLink, Card, PageHeader } from '../../web/views/components.ts';
import { AdminNav, Crumbs, type Crumb } from './parts.tsx';

export interface ConfirmProps {
  ctx: PageCtx; crumbs: Crumb[]; title: string; what: string; action: string; confirmLabel: string; cancelHref: string;
}

export function AdminConfirmPage({ ctx, crumbs, title, what, action, confirmLabel, cancelHref }: ConfirmProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title}>
      <AdminNav ctx={ctx} />
      <PageHeader title={title} breadcrumbs={<Crumbs ctx={ctx} trail={crumbs} />} />
      <Card as="div" class="confirm">
        <p id="confirm-what">{what}</p>
      </Card>
      <form method="post" action={action} class="actions">
        <Csrf token={ctx.csrf} />
        <input type="hidden" name="confirm" value="yes" />
        <Button variant="danger" class="primary" aria-describedby="confirm-what">{confirmLabel}</Button>
        <ButtonLink href={cancelHref}>{t('admin.confirm.cancel')}</ButtonLink>
      </form>
    </Layout>
  );
}
