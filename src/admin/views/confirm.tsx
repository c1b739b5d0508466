// The confirmation step of a destructive admin action (issue 20 item 5): names the user or group and
// what happens, with a danger «confirm» button that posts confirm=yes and a way back. It works without
// JavaScript; the server refuses the action without confirm=yes (routes/confirm.ts), so a forged or
// old form that skips this page changes nothing.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf } from '../../web/views/form.tsx';
import { AdminNav, Crumbs, type Crumb } from './parts.tsx';

export interface ConfirmProps {
  ctx: PageCtx; crumbs: Crumb[]; title: string; what: string; action: string; confirmLabel: string; cancelHref: string;
}

export function AdminConfirmPage({ ctx, crumbs, title, what, action, confirmLabel, cancelHref }: ConfirmProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title}>
      <AdminNav ctx={ctx} />
      <Crumbs ctx={ctx} trail={crumbs} />
      <h1>{title}</h1>
      <div class="card confirm">
        <p id="confirm-what">{what}</p>
      </div>
      <form method="post" action={action} class="actions">
        <Csrf token={ctx.csrf} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger primary" aria-describedby="confirm-what">{confirmLabel}</button>
        <a href={cancelHref} class="button">{t('admin.confirm.cancel')}</a>
      </form>
    </Layout>
  );
}
