// API tokens of an organisation (issue 24 item 6; docs/api.md): issue (name, scopes), the new token
// shown once, the list (scopes, issued, last used, revoked) with a revoke button per live token, and
// the latest webhook deliveries (dead ones with their last error).
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../web/views/form.tsx';
import { Alert, Button, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import { AdminNav, Crumbs, OrgPicker, type OrgOption } from './parts.tsx';
import { SCOPES, type TokenView } from '../../api/service.ts';

export interface DeliveryLine { id: string; event_type: string; state: string; attempts: number; last_error: string | null; created_at: number; callback: string }

export function AdminApiTokensPage({ ctx, org, orgs, tokens, deliveries, issued, notice, error }: {
  ctx: PageCtx; org: OrgOption; orgs: OrgOption[]; tokens: TokenView[]; deliveries: DeliveryLine[];
  issued?: string | null; notice?: string | null; error?: FormError | null;
}) {
  const { t, lang } = ctx;
  const columns: Column<TokenView>[] = [
    { label: t('api.tokens.name'), rowHeader: true, cell: (r) => r.name },
    { label: t('api.tokens.scopes'), cell: (r) => <code>{r.scopes.join(' ')}</code> },
    { label: t('api.tokens.created'), class: 'nowrap', cell: (r) => formatDateTime(r.createdAt, lang) },
    { label: t('api.tokens.last_used'), class: 'nowrap', cell: (r) => (r.lastUsedAt ? formatDateTime(r.lastUsedAt, lang) : t('api.tokens.never')) },
    {
      label: t('api.tokens.revoke'),
      cell: (r) => (r.revokedAt ? t('api.tokens.revoked', { at: formatDateTime(r.revokedAt, lang) }) : (
        <form method="post" action={`/admin/api-tokens/${r.id}/revoke`} class="inline"><Csrf token={ctx.csrf} /><Button class="link">{t('api.tokens.revoke')}</Button></form>
      )),
    },
  ];
  const deliveryColumns: Column<DeliveryLine>[] = [
    { label: t('api.tokens.delivery_event'), rowHeader: true, cell: (r) => r.event_type },
    { label: t('api.tokens.delivery_callback'), cell: (r) => <code>{r.callback}</code> },
    { label: t('api.tokens.delivery_state'), cell: (r) => `${r.state} (${r.attempts})` },
    { label: t('api.tokens.delivery_error'), cell: (r) => r.last_error ?? '' },
  ];
  return (
    <Layout ctx={ctx} title={t('api.tokens.title')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('api.tokens.title')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ label: t('api.tokens.title') }]} />} />
      <OrgPicker ctx={ctx} orgs={orgs} org={org} action="/admin/api-tokens" />
      <p>{t('api.tokens.intro')}</p>
      {notice && <Notice>{notice}</Notice>}
      {issued && <Alert kind="success">{t('api.tokens.issued')} <code>{issued}</code></Alert>}
      <ErrorSummary t={t} error={error} />
      {tokens.length === 0 ? <EmptyState level={2} heading={t('api.tokens.none')} /> : (
        <DataTable caption={t('api.tokens.title')} captionHidden rows={tokens} columns={columns} />
      )}
      <form method="post" action="/admin/api-tokens" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <input type="hidden" name="org" value={org.id} />
        <div class="field"><label for="f-name">{t('api.tokens.name')}</label><input id="f-name" name="name" required maxLength={100} /></div>
        <fieldset class="field">
          <legend>{t('api.tokens.scopes')}</legend>
          {SCOPES.map((s) => (
            <div class="check"><input type="checkbox" id={`f-scope-${s.replace(':', '-')}`} name="scopes" value={s} /><label for={`f-scope-${s.replace(':', '-')}`}>{t(`api.scope.${s}`)} <code>{s}</code></label></div>
          ))}
        </fieldset>
        <Button>{t('api.tokens.issue')}</Button>
      </form>
      <section aria-labelledby="h-deliveries">
        <h2 id="h-deliveries">{t('api.tokens.deliveries')}</h2>
        {deliveries.length === 0 ? <EmptyState level={3} heading={t('api.tokens.no_deliveries')} /> : (
          <DataTable caption={t('api.tokens.deliveries')} captionHidden rows={deliveries} columns={deliveryColumns} />
        )}
      </section>
    </Layout>
  );
}
