// Technical contacts of an organisation's contracts (issue 24 item 2): the list (contract, name,
// address, added) with a remove button each, and the form to add one, each error next to its field.
import type { FieldErrors } from '../../errors.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice } from '../../web/views/form.tsx';
import { Button, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import { AdminNav, Crumbs, OrgPicker, type OrgOption } from './parts.tsx';
import type { ContactLine } from '../../portal/notices/contacts.ts';

export function AdminContactsPage({ ctx, org, orgs, contacts, values, fields, notice }: {
  ctx: PageCtx; org: OrgOption; orgs: OrgOption[]; contacts: ContactLine[];
  values?: { number: string; name: string; email: string }; fields?: FieldErrors; notice?: string | null;
}) {
  const { t, lang } = ctx;
  const f = fields ?? {};
  const v = values ?? { number: '', name: '', email: '' };
  const columns: Column<ContactLine>[] = [
    { label: t('contacts.contract'), rowHeader: true, class: 'nowrap', cell: (r) => r.number },
    { label: t('contacts.name'), cell: (r) => r.name },
    { label: t('contacts.email'), cell: (r) => r.email },
    { label: t('contacts.added_at'), class: 'nowrap', cell: (r) => formatDateTime(r.created_at, lang) },
    {
      label: t('contacts.remove'),
      cell: (r) => <form method="post" action={`/admin/contacts/${r.id}/remove`} class="inline"><Csrf token={ctx.csrf} /><Button class="link" aria-label={`${t('contacts.remove')}: ${r.number} ${r.email}`}>{t('contacts.remove')}</Button></form>,
    },
  ];
  return (
    <Layout ctx={ctx} title={t('contacts.title')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('contacts.title')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ label: t('contacts.title') }]} />} />
      <OrgPicker ctx={ctx} orgs={orgs} org={org} action="/admin/contacts" />
      <p>{t('contacts.intro')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={Object.keys(f).length ? { key: 'common.field_errors' } : null} />
      {contacts.length === 0 ? <EmptyState level={2} heading={t('contacts.none')} /> : (
        <DataTable caption={t('contacts.title')} captionHidden rows={contacts} columns={columns} />
      )}
      <form method="post" action="/admin/contacts" class="card" novalidate>
        <h2>{t('contacts.add')}</h2>
        <Csrf token={ctx.csrf} />
        <input type="hidden" name="org" value={org.id} />
        <Field t={t} name="number" label={t('contacts.contract')} required maxLength={20} value={v.number} errors={f} />
        <Field t={t} name="name" label={t('contacts.name')} required maxLength={100} value={v.name} errors={f} />
        <Field t={t} name="email" label={t('contacts.email')} required type="email" maxLength={254} value={v.email} errors={f} />
        <Button>{t('contacts.add')}</Button>
      </form>
    </Layout>
  );
}
