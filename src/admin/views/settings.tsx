// Organisation security settings (S3.7): trusted networks and the trusted-browser switch, for the
// admin's own organisation or, for a partner admin, a child organisation chosen above the forms.
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../web/views/form.tsx';
import { Button, EmptyState, PageHeader } from '../../web/views/components.ts';
import { AdminNav, Crumbs, OrgPicker, type OrgOption } from './parts.tsx';

export function AdminSettingsPage({ ctx, org, orgs, networks, trustedBrowsers, notice, error, cidrValue }: {
  ctx: PageCtx; org: OrgOption; orgs: OrgOption[]; networks: { id: string; cidr: string; label: string }[]; trustedBrowsers: boolean;
  notice?: string | null; error?: FormError | null; cidrValue?: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.settings')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('admin.settings')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ label: t('admin.settings') }]} />} />
      <OrgPicker ctx={ctx} orgs={orgs} org={org} action="/admin/settings" />
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <section aria-labelledby="h-net">
        <h2 id="h-net">{t('admin.networks')}</h2>
        {networks.length === 0 ? <EmptyState level={3} heading={t('admin.no_networks')} /> : (
          <ul class="plain">
            {networks.map((n) => (
              <li>
                <code>{n.cidr}</code> {n.label}{' '}
                <form method="post" action={`/admin/settings/networks/${n.id}/remove`} class="inline"><Csrf token={ctx.csrf} /><Button class="link">{t('admin.remove')}</Button></form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/admin/settings/networks" class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="org" value={org.id} />
          <div class={error ? 'field invalid' : 'field'}>
            <label for="f-cidr">{t('admin.network_cidr')}</label>
            <input id="f-cidr" name="cidr" value={cidrValue ?? ''} required maxLength={64} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'f-cidr-err' : undefined} />
            {error && <p class="field-error" id="f-cidr-err">{t(error.key, error.params)}</p>}
          </div>
          <div class="field"><label for="f-label">{t('admin.network_label')}</label><input id="f-label" name="label" maxLength={100} /></div>
          <Button>{t('admin.add')}</Button>
        </form>
      </section>
      <section aria-labelledby="h-tb">
        <h2 id="h-tb">{t('admin.trusted_browsers')}</h2>
        <form method="post" action="/admin/settings/trusted-browsers" class="card">
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="org" value={org.id} />
          <div class="check">
            <input type="checkbox" id="f-tb" name="enabled" value="1" checked={trustedBrowsers} aria-describedby="f-tb-hint" />
            <label for="f-tb">{t('admin.trusted_browsers')}</label>
          </div>
          <p class="hint" id="f-tb-hint">{t('admin.trusted_browsers_hint')}</p>
          <Button>{t('common.save')}</Button>
        </form>
      </section>
    </Layout>
  );
}
