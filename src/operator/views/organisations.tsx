// Organisations in the provider's console (issue 26 item 3, S0): find them (keywords, kind, page
// links), create one (kind, parent, preset, password policy), one organisation with its family and
// users, and the form for its first portal admin.
import type { OperatorRole } from '../../db/schema.ts';
import type { OrganisationDetail, OrganisationPage } from '../../auth/service.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice } from '../../web/views/form.tsx';
import { Pager, withParams } from '../../portal/views/parts.tsx';
import { may } from '../guard.ts';
import { Button, ButtonLink, Card, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { SelectField, type FormState } from './customer-parts.tsx';

const KINDS = ['direct', 'partner', 'child'] as const;

export function OrganisationsPage({ ctx, role, p, profiles, policies, form }: {
  ctx: PageCtx; role: OperatorRole; p: OrganisationPage; profiles: string[]; policies: string[]; form: FormState;
}) {
  const { t } = ctx;
  const params = { q: p.q || undefined, kind: p.kind || undefined };
  const v = form.values ?? {};
  return (
    <OperatorPage ctx={ctx} role={role} current="organisations" title={t('console.area.organisations')}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <ErrorSummary t={t} error={form.error} />
      <form method="get" action="/operator/organisations" class="filters card" role="search" aria-label={t('cc.orgs.search')}>
        <div class="row">
          <div class="field grow">
            <label for="f-q">{t('cc.orgs.keywords')}</label>
            <p class="hint" id="f-q-hint">{t('portal.filter_keyword_hint')}</p>
            <input id="f-q" name="q" type="search" value={p.q} maxLength={1000} aria-describedby="f-q-hint" />
          </div>
          <SelectField t={t} name="kind" id="f-kind-filter" label={t('cc.orgs.kind')} value={p.kind}
            options={[{ value: '', label: t('cc.orgs.all_kinds') }, ...KINDS.map((k) => ({ value: k, label: t(`cc.orgs.kind.${k}`) }))]} />
        </div>
        <div class="actions"><Button variant="primary">{t('portal.filter')}</Button> <ButtonLink href="/operator/organisations">{t('portal.clear')}</ButtonLink></div>
      </form>
      <p class="total" role="status"><strong>{t('cc.orgs.total', { n: p.total })}</strong></p>
      {p.rows.length === 0 ? <EmptyState heading={t('cc.orgs.none')} /> : (
        <DataTable caption={t('console.area.organisations')} captionHidden rows={p.rows} columns={[
          { label: t('cc.orgs.name'), rowHeader: true, cell: (o) => <a href={`/operator/organisations/${o.id}`}>{o.name}</a> },
          { label: t('cc.orgs.kind'), cell: (o) => t(`cc.orgs.kind.${o.kind}`) },
          { label: t('cc.orgs.parent'), cell: (o) => o.parent_name ?? '—' },
          { label: t('cc.orgs.profile'), cell: (o) => o.profile },
        ]} />
      )}
      <Pager t={t} page={p.page} pages={p.pages} href={(n) => withParams('/operator/organisations', params, { page: n === 1 ? undefined : n })} />
      {may({ role }, 'operator_admin') && (
        <form method="post" action="/operator/organisations" class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <h2>{t('cc.orgs.create')}</h2>
          <ErrorSummary t={t} error={form.fields && Object.keys(form.fields).length ? { key: 'common.field_errors' } : null} />
          <Field t={t} name="name" label={t('cc.orgs.name')} errors={form.fields} value={v.name ?? ''} required maxLength={200} autocomplete="organization" />
          <SelectField t={t} name="kind" label={t('cc.orgs.kind')} errors={form.fields} value={v.kind ?? 'direct'} required
            options={KINDS.map((k) => ({ value: k, label: t(`cc.orgs.kind.${k}`) }))} />
          <Field t={t} name="parent" label={t('cc.orgs.parent')} hint={t('cc.orgs.parent_hint')} errors={form.fields} value={v.parent ?? ''} maxLength={64} />
          <SelectField t={t} name="profile" label={t('cc.orgs.profile')} errors={form.fields} value={v.profile ?? ''}
            options={[{ value: '', label: t('cc.orgs.profile_default') }, ...profiles.map((x) => ({ value: x, label: x }))]} />
          <SelectField t={t} name="password_policy" label={t('cc.orgs.policy')} errors={form.fields} value={v.password_policy ?? ''}
            options={[{ value: '', label: t('cc.orgs.policy_default') }, ...policies.map((x) => ({ value: x, label: x }))]} />
          <Button variant="primary">{t('cc.orgs.create')}</Button>
        </form>
      )}
    </OperatorPage>
  );
}

export function OrganisationPage({ ctx, role, d, form }: { ctx: PageCtx; role: OperatorRole; d: OrganisationDetail; form: FormState }) {
  const { t, lang } = ctx;
  const o = d.org;
  const v = form.values ?? {};
  return (
    <OperatorPage ctx={ctx} role={role} current="organisations" title={o.name} up={{ label: t('console.area.organisations'), href: '/operator/organisations' }}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <ErrorSummary t={t} error={form.error} />
      <dl class="facts card">
        <dt>{t('cc.orgs.id')}</dt><dd><code>{o.id}</code></dd>
        <dt>{t('cc.orgs.kind')}</dt><dd>{t(`cc.orgs.kind.${o.kind}`)}</dd>
        <dt>{t('cc.orgs.parent')}</dt><dd>{d.parent ? <a href={`/operator/organisations/${d.parent.id}`}>{d.parent.name}</a> : t('cc.orgs.no_parent')}</dd>
        <dt>{t('cc.orgs.profile')}</dt><dd>{o.profile}</dd>
        <dt>{t('cc.orgs.policy')}</dt><dd>{o.password_policy ?? t('cc.orgs.policy_default')}</dd>
        <dt>{t('cc.orgs.users')}</dt><dd>{t('cc.orgs.users_n', { users: d.users, admins: d.admins })}</dd>
        <dt>{t('cc.orgs.created_at')}</dt><dd>{formatDateTime(o.created_at, lang)}</dd>
      </dl>
      <p class="actions">
        <ButtonLink href={`/operator/contracts?org=${encodeURIComponent(o.id)}`}>{t('cc.orgs.its_contracts')}</ButtonLink>
        <ButtonLink href={`/operator/orders?org=${encodeURIComponent(o.id)}`}>{t('cc.orgs.its_orders')}</ButtonLink>
      </p>
      {o.kind === 'partner' && (
        <section aria-labelledby="h-children">
          <h2 id="h-children">{t('cc.orgs.children')}</h2>
          {d.children.length === 0 ? <EmptyState level={3} heading={t('cc.orgs.no_children')} /> : (
            <ul class="plain">{d.children.map((c) => <li><a href={`/operator/organisations/${c.id}`}>{c.name}</a></li>)}</ul>
          )}
        </section>
      )}
      {o.kind !== 'provider' && (
        <Card labelledBy="h-admin" title={t('cc.admin.title')}>
          {d.admins > 0 ? <p class="muted">{t('cc.admin.has_admin')}</p> : !may({ role }, 'operator_admin') ? null : (
            <form method="post" action={`/operator/organisations/${o.id}/first-admin`} novalidate>
              <Csrf token={ctx.csrf} />
              <p>{t('cc.admin.intro')}</p>
              <Field t={t} name="email" type="email" label={t('cc.admin.email')} errors={form.fields} value={v.email ?? ''} required maxLength={254} autocomplete="off" />
              <Field t={t} name="name" label={t('cc.admin.name')} hint={t('cc.admin.name_hint')} errors={form.fields} value={v.name ?? ''} required maxLength={100} autocomplete="off" />
              <Field t={t} name="phone" type="tel" label={t('cc.admin.phone')} hint={t('register.phone_invalid')} errors={form.fields} value={v.phone ?? ''} required maxLength={40} autocomplete="off" />
              <Field t={t} name="loginId" label={t('cc.admin.login_id')} hint={t('cc.admin.login_id_hint')} errors={form.fields} value={v.loginId ?? ''} maxLength={254} autocomplete="off" />
              <SelectField t={t} name="lang" label={t('cc.admin.lang')} value={v.lang ?? 'ja'} options={[{ value: 'ja', label: '日本語' }, { value: 'en', label: 'English' }]} />
              <Button variant="primary">{t('cc.admin.register')}</Button>
            </form>
          )}
        </Card>
      )}
    </OperatorPage>
  );
}
