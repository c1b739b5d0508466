// Contracts in the provider's console (issue 26 item 3, S8): every organisation's contracts with the
// customer list's filter (keywords, service, status; total, page sizes, page links), registering one,
// one contract with its edit form (site, memo, group number, status, service), and the CSV import
// with its dry run and line-by-line report.
import type { OperatorRole } from '../../db/schema.ts';
import type { ContractPage, ListedContract } from '../../portal/contracts/service.ts';
import { CONTRACT_STATUSES } from '../../portal/contracts/service.ts';
import type { ImportReport } from '../../portal/contracts/import.ts';
import type { ServiceRow } from '../../portal/catalogue/service.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice } from '../../web/views/form.tsx';
import { nameOf, Pager, StatusBadge, withParams } from '../../portal/views/parts.tsx';
import { KeywordField, PageSizeField, TotalLine } from '../../portal/views/contracts.tsx';
import { Alert, Button, ButtonLink, Card, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { SelectField, TextAreaField, type FormState } from './customer-parts.tsx';

type Services = readonly Pick<ServiceRow, 'id' | 'code' | 'name_ja' | 'name_en'>[];

function statusOptions(ctx: PageCtx) {
  return CONTRACT_STATUSES.map((s) => ({ value: s, label: ctx.t(`portal.status.${s}`) }));
}

export function ContractsPage({ ctx, role, p, services, orgNames, form }: {
  ctx: PageCtx; role: OperatorRole; p: ContractPage & { org: string }; services: Services; orgNames: Map<string, string>; form: FormState;
}) {
  const { t, lang } = ctx;
  const params = { q: p.q || undefined, org: p.org || undefined, service: p.serviceId || undefined, status: p.status || undefined, size: p.pageSize === 10 ? undefined : p.pageSize };
  const v = form.values ?? {};
  return (
    <OperatorPage ctx={ctx} role={role} current="contracts" title={t('console.area.contracts')}>
      <p class="actions"><ButtonLink href="/operator/contracts/import">{t('cc.contracts.import_link')}</ButtonLink> <ButtonLink href="/operator/services">{t('cc.services.link')}</ButtonLink></p>
      {form.notice && <Notice>{form.notice}</Notice>}
      <form method="get" action="/operator/contracts" class="filters card" role="search" aria-label={t('cc.contracts.search')}>
        <KeywordField ctx={ctx} value={p.q} />
        <div class="row">
          <div class="field">
            <label for="f-org-filter">{t('cc.contracts.org')}</label>
            <p class="hint" id="f-org-filter-hint">{p.org ? (orgNames.get(p.org) ?? p.org) : t('cc.contracts.all_orgs')}</p>
            <input id="f-org-filter" name="org" value={p.org} maxLength={64} aria-describedby="f-org-filter-hint" />
          </div>
          <SelectField t={t} name="service" id="f-service-filter" label={t('portal.filter_service')} value={p.serviceId}
            options={[{ value: '', label: t('portal.all_services') }, ...services.map((s) => ({ value: s.id, label: nameOf(s, lang) }))]} />
          <SelectField t={t} name="status" id="f-status-filter" label={t('portal.filter_status')} value={p.status}
            options={[{ value: '', label: t('portal.all_statuses') }, ...statusOptions(ctx)]} />
          <PageSizeField ctx={ctx} value={p.pageSize} />
        </div>
        <div class="actions"><Button variant="primary">{t('portal.filter')}</Button> <ButtonLink href="/operator/contracts">{t('portal.clear')}</ButtonLink></div>
      </form>
      <TotalLine ctx={ctx} p={p} />
      {p.rows.length === 0 ? <EmptyState heading={t('portal.no_match')} /> : (
        <DataTable caption={t('console.area.contracts')} captionHidden class="contracts" rows={p.rows} columns={[
          { label: t('portal.col.status'), cell: (r) => <StatusBadge t={t} status={r.status} /> },
          { label: t('portal.col.number'), rowHeader: true, cell: (r) => <a href={`/operator/contracts/${r.id}`}><code>{r.number}</code></a> },
          { label: t('cc.contracts.org'), cell: (r) => <a href={`/operator/organisations/${r.organisation_id}`}>{orgNames.get(r.organisation_id) ?? r.organisation_id}</a> },
          { label: t('portal.col.service'), cell: (r) => lang === 'ja' ? r.service_name_ja : r.service_name_en },
          { label: t('portal.col.group_number'), cell: (r) => r.group_number },
          { label: t('portal.col.site'), cell: (r) => r.site },
          { label: t('portal.col.memo'), cell: (r) => r.memo },
        ]} />
      )}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/operator/contracts', params, { page: n === 1 ? undefined : n })} />
      <form method="post" action="/operator/contracts" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('cc.contracts.create')}</h2>
        <ErrorSummary t={t} error={form.error} />
        <Field t={t} name="org" label={t('cc.contracts.org')} hint={t('cc.contracts.org_id_hint')} errors={form.fields} value={v.org ?? p.org} required maxLength={64} />
        <Field t={t} name="number" label={t('portal.col.number')} hint={t('cc.contracts.number_hint')} errors={form.fields} value={v.number ?? ''} required maxLength={40} />
        <SelectField t={t} name="service" label={t('portal.col.service')} errors={form.fields} value={v.service} required
          options={services.map((s) => ({ value: s.code, label: `${nameOf(s, lang)} (${s.code})` }))} />
        <ContractTextFields ctx={ctx} form={form} values={v} />
        <Button variant="primary">{t('cc.contracts.create')}</Button>
      </form>
    </OperatorPage>
  );
}

function ContractTextFields({ ctx, form, values }: { ctx: PageCtx; form: FormState; values: Record<string, string | undefined> }) {
  const { t } = ctx;
  return (
    <>
      <Field t={t} name="group_number" label={t('portal.col.group_number')} errors={form.fields} value={values.group_number ?? ''} maxLength={200} />
      <Field t={t} name="site" label={t('portal.col.site')} errors={form.fields} value={values.site ?? ''} maxLength={200} />
      <Field t={t} name="memo" label={t('portal.col.memo')} errors={form.fields} value={values.memo ?? ''} maxLength={200} />
      <SelectField t={t} name="status" label={t('portal.col.status')} errors={form.fields} value={values.status ?? 'normal'} options={statusOptions(ctx)} />
    </>
  );
}

export function ContractPage({ ctx, role, c, orgName, services, form }: {
  ctx: PageCtx; role: OperatorRole; c: ListedContract; orgName: string; services: Services; form: FormState;
}) {
  const { t, lang } = ctx;
  const values = form.values ?? { group_number: c.group_number, site: c.site, memo: c.memo, status: c.status, service: c.service_code };
  return (
    <OperatorPage ctx={ctx} role={role} current="contracts" title={t('portal.contract', { number: c.number })} up={{ label: t('console.area.contracts'), href: '/operator/contracts' }}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <dl class="facts card">
        <dt>{t('portal.col.status')}</dt><dd><StatusBadge t={t} status={c.status} /></dd>
        <dt>{t('cc.contracts.org')}</dt><dd><a href={`/operator/organisations/${c.organisation_id}`}>{orgName}</a></dd>
        <dt>{t('portal.col.service')}</dt><dd>{lang === 'ja' ? c.service_name_ja : c.service_name_en} (<code>{c.service_code}</code>)</dd>
      </dl>
      <form method="post" action={`/operator/contracts/${c.id}`} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('cc.contracts.edit')}</h2>
        <ErrorSummary t={t} error={form.error} />
        <SelectField t={t} name="service" label={t('portal.col.service')} hint={t('cc.contracts.service_hint')} errors={form.fields} value={values.service}
          options={services.map((s) => ({ value: s.code, label: `${nameOf(s, lang)} (${s.code})` }))} />
        <ContractTextFields ctx={ctx} form={form} values={values} />
        <Button variant="primary">{t('cc.contracts.save')}</Button>
      </form>
    </OperatorPage>
  );
}

export function ImportPage({ ctx, role, csv, report, form }: { ctx: PageCtx; role: OperatorRole; csv: string; report: ImportReport | null; dryRun?: boolean; form: FormState }) {
  const { t } = ctx;
  return (
    <OperatorPage ctx={ctx} role={role} current="contracts" title={t('cc.import.title')} up={{ label: t('console.area.contracts'), href: '/operator/contracts' }}>
      <ErrorSummary t={t} error={form.error} />
      {report && <ImportResult ctx={ctx} report={report} />}
      <form method="post" action="/operator/contracts/import" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <p>{t('cc.import.intro')}</p>
        <TextAreaField t={t} name="csv" label={t('cc.import.csv')} hint={t('cc.import.columns')} errors={form.fields} value={csv} rows={10} maxLength={1_000_000} required />
        <p class="muted">{t('cc.import.cli_hint')}</p>
        <div class="actions">
          <Button variant="primary" name="mode" value="dry_run">{t('cc.import.dry_run')}</Button>
          <Button name="mode" value="apply">{t('cc.import.apply')}</Button>
        </div>
      </form>
    </OperatorPage>
  );
}

function ImportResult({ ctx, report }: { ctx: PageCtx; report: ImportReport }) {
  const { t } = ctx;
  const counts = { created: report.created, changed: report.changed, unchanged: report.unchanged, errors: report.errors };
  return (
    <Card labelledBy="h-report" title={t('cc.import.report')}>
      {report.applied ? <Notice>{t('cc.import.summary_done', counts)}</Notice>
        : report.errors ? <Alert kind="error"><p>{t('contracts.import_refused', { count: report.errors })}</p></Alert>
          : <Notice>{t('cc.import.summary_dry', counts)}</Notice>}
      {report.errors > 0 && <p class="muted">{t('cc.import.summary_dry', counts)}</p>}
      {report.lines.length > 0 && (
        <DataTable caption={t('cc.import.report')} captionHidden class="import-report" rows={report.lines}
          rowClass={(l) => l.action === 'error' ? 'bad' : undefined} columns={[
            { label: t('cc.import.col.line'), numeric: true, cell: (l) => l.line },
            { label: t('cc.import.col.number'), rowHeader: true, cell: (l) => <code>{l.number}</code> },
            { label: t('cc.import.col.result'), cell: (l) => <>
              {l.action === 'create' && t('cc.import.create', { service: l.service })}
              {l.action === 'unchanged' && t('cc.import.unchanged')}
              {l.action === 'change' && <>{t('cc.import.change')}: {l.changes.map((c) => t('cc.import.change_of', { field: c.field, from: c.from, to: c.to })).join('; ')}</>}
              {l.action === 'error' && <><strong>{t('cc.import.error')}:</strong> {l.problems.map((p) => t(p.key, p.params)).join(' ')}</>}
            </> },
          ]} />
      )}
    </Card>
  );
}
