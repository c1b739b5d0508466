// The audit log for admins (S13): filters (GET form, so a filtered view can be bookmarked), a page
// of 50 rows, and the CSV link with the same filters.
import type { FieldErrors } from '../../errors.ts';
import { AUDIT_EVENTS } from '../../audit/log.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { ErrorSummary, Field, type FormError } from '../../web/views/form.tsx';
import { DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import type { AuditFilterInput, AuditListRow } from '../../auth/service.ts';
import { AdminNav, Crumbs, OrgSelect, Pager, type OrgOption } from './parts.tsx';
import { describeAuditRow, eventSentence, type AuditNames } from '../../audit/describe.ts';
import { AuditEventText } from '../../audit/view.tsx';
import { Button } from '../../web/views/button.tsx';

export function AdminAuditPage({ ctx, rows, orgs, values, page, hasNext, error, fieldErrors, names }: {
  ctx: PageCtx; rows: AuditListRow[]; orgs: OrgOption[]; values: AuditFilterInput; page: number; hasNext: boolean;
  error?: FormError | null; fieldErrors?: FieldErrors; names?: AuditNames;
}) {
  const { t, lang } = ctx;
  const query = { user: values.user, event: values.event, from: values.from, to: values.to, org: values.org };
  const csvQuery = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString();
  const columns: Column<AuditListRow>[] = [
    { label: t('admin.audit.when'), class: 'nowrap', cell: (r) => formatDateTime(r.at, lang) },
    { label: t('admin.audit.event'), cell: (r) => (
      // The event's code stays at hand (a tooltip) for the admin who needs it.
      <div class="audit-event" title={r.event}>
        <AuditEventText d={describeAuditRow({ event: r.event, factor: r.factor, detail: r.detail, repeatCount: Number(r.repeat_count), lastAt: r.last_at }, lang, names)} />
      </div>
    ) },
    { label: t('admin.audit.actor'), cell: (r) => r.actor_login_id ?? '' },
    { label: t('admin.audit.subject'), cell: (r) => r.subject_login_id ?? '' },
    { label: t('admin.audit.organisation'), cell: (r) => r.organisation_name ?? '' },
    { label: t('admin.audit.ip'), class: 'nowrap', cell: (r) => r.ip },
  ];
  return (
    <Layout ctx={ctx} title={t('admin.audit')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('admin.audit')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ label: t('admin.audit') }]} />} />
      <ErrorSummary t={t} error={error} />
      <form method="get" action="/admin/audit" class="card" novalidate>
        <Field t={t} name="user" label={t('admin.audit.user')} errors={fieldErrors} value={values.user ?? ''} maxLength={254} />
        <div class={fieldErrors?.event ? 'field invalid' : 'field'}>
          <label for="f-event">{t('admin.audit.event')}</label>
          <select id="f-event" name="event">
            <option value="">{t('admin.audit.all_events')}</option>
            {AUDIT_EVENTS.map((e) => <option value={e} selected={values.event === e}>{eventSentence(e, lang)}</option>)}
          </select>
        </div>
        <Field t={t} name="from" type="date" label={t('admin.audit.from')} errors={fieldErrors} value={values.from ?? ''} pattern="\d{4}-\d{2}-\d{2}" />
        <Field t={t} name="to" type="date" label={t('admin.audit.to')} errors={fieldErrors} value={values.to ?? ''} pattern="\d{4}-\d{2}-\d{2}" />
        <OrgSelect ctx={ctx} orgs={orgs} value={values.org} allowAll />
        <Button>{t('admin.audit.filter')}</Button>
      </form>
      <p><a href={csvQuery ? `/admin/audit.csv?${csvQuery}` : '/admin/audit.csv'} download>{t('admin.audit.csv')}</a></p>
      {rows.length === 0 ? <EmptyState heading={t('admin.audit.none')} /> : (
        // Fits at 1280 px (long details wrap); on a phone each row becomes a card (table.stack). The
        // region can still scroll on a narrow desktop window, so it is reachable by keyboard.
        <DataTable caption={t('admin.audit.table')} captionHidden class="audit-table" scrollLabel={t('admin.audit.table')} rows={rows} columns={columns} />
      )}
      <Pager ctx={ctx} path="/admin/audit" query={query} page={page} hasNext={hasNext} />
    </Layout>
  );
}
