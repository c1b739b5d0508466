// User list with search, and the registration form (S1, S13).
import type { FieldErrors } from '../../errors.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, type FormError } from '../../web/views/form.tsx';
import { USER_METHODS, USER_SORTS, USER_STATES, type UserListPage } from '../../auth/service.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { GroupRow } from '../../portal/groups/service.ts';
import { Button, ButtonLink, DataTable, EmptyState, PageHeader } from '../../web/views/components.ts';
import { AdminNav, Crumbs, hrefWith, methodLabel, NumberedPager, OrgSelect, type OrgOption } from './parts.tsx';

export interface UserListFilterValues {
  q?: string | undefined; org?: string | undefined; role?: string | undefined; state?: string | undefined; method?: string | undefined;
  guide?: string | undefined; sort?: string | undefined; dir?: string | undefined;
}

function Choice({ ctx, id, name, label, value, options }: { ctx: PageCtx; id: string; name: string; label: string; value?: string | undefined; options: readonly (readonly [string, string])[] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        <option value="">{ctx.t('admin.any')}</option>
        {options.map(([v, l]) => <option value={v} selected={v === value}>{l}</option>)}
      </select>
    </div>
  );
}

type UserSort = (typeof USER_SORTS)[number];

/**
 * A sortable column's heading: a link that sorts by it (ascending first, the other way when it is
 * already the sort), keeping the filters and going back to page 1; the current one carries aria-sort
 * and an arrow (aria-hidden: aria-sort says it to a screen reader).
 */
function sortable(ctx: PageCtx, filter: UserListFilterValues, key: UserSort, label: string) {
  const current = (filter.sort || 'login_id') === key;
  const dir = filter.dir === 'desc' ? 'desc' : 'asc';
  const next = current && dir === 'asc' ? 'desc' : 'asc';
  const href = hrefWith('/admin/users', { ...filter, sort: key, dir: next, page: undefined });
  return {
    label,
    sort: current ? (dir === 'asc' ? 'ascending' as const : 'descending' as const) : undefined,
    header: <a href={href}>{label}{current && <span aria-hidden="true">{dir === 'asc' ? ' ▲' : ' ▼'}</span>}</a>,
  };
}

/** The user list (issue 20 item 5): filters, sort, total, numbered pages that keep the filters. */
export function AdminUsersPage({ ctx, list, orgs, filter }: { ctx: PageCtx; list: UserListPage; orgs: OrgOption[]; filter: UserListFilterValues }) {
  const { t, lang } = ctx;
  const { users, total, page, pages, pageSize } = list;
  const filtered = Object.values(filter).some((v) => v);
  return (
    <Layout ctx={ctx} title={t('admin.users')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('admin.users')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ label: t('admin.users') }]} />}
        actions={<ButtonLink variant="primary" href={filter.org ? `/admin/users/new?org=${encodeURIComponent(filter.org)}` : '/admin/users/new'}>{t('admin.new_user')}</ButtonLink>} />
      <form method="get" action="/admin/users" class="card filters" role="search" aria-label={t('admin.filters')}>
        <div class="field">
          <label for="f-q">{t('admin.search_label')}</label>
          <input id="f-q" name="q" type="search" value={filter.q ?? ''} maxLength={200} />
        </div>
        <OrgSelect ctx={ctx} orgs={orgs} value={filter.org} allowAll />
        <Choice ctx={ctx} id="f-role" name="role" label={t('admin.role')} value={filter.role} options={[['admin', t('admin.role.admin')], ['general', t('admin.role.general')]]} />
        <Choice ctx={ctx} id="f-state" name="state" label={t('admin.status')} value={filter.state} options={USER_STATES.map((s) => [s, t(`admin.state.${s}`)] as const)} />
        <Choice ctx={ctx} id="f-method" name="method" label={t('admin.method')} value={filter.method} options={USER_METHODS.map((m) => [m, t(`admin.method.${m}`)] as const)} />
        <div class="field">
          <label for="f-sort">{t('admin.sort')}</label>
          <select id="f-sort" name="sort">{USER_SORTS.map((s) => <option value={s} selected={(filter.sort || 'login_id') === s}>{t(`admin.sort.${s}`)}</option>)}</select>
        </div>
        <div class="field">
          <label for="f-dir">{t('admin.dir')}</label>
          <select id="f-dir" name="dir">{(['asc', 'desc'] as const).map((d) => <option value={d} selected={(filter.dir || 'asc') === d}>{t(`admin.dir.${d}`)}</option>)}</select>
        </div>
        <div class="check">
          <input type="checkbox" id="f-guide" name="guide" value="expiring" checked={filter.guide === 'expiring'} />
          <label for="f-guide">{t('admin.guide_expiring_only')}</label>
        </div>
        <div class="actions">
          <Button>{t('admin.apply')}</Button>
          {filtered && <a href="/admin/users">{t('admin.clear_filters')}</a>}
        </div>
      </form>
      <p class="total">{t('admin.total_users', { total })}</p>
      {users.length === 0 ? <EmptyState heading={t('admin.no_users')} /> : (
        // A scrolling table, not a stacked one: a stacked table hides its head on a phone, and the sort
        // links there would be focusable but unseen (the filter form's sort choice serves a phone).
        <DataTable caption={t('admin.users')} captionHidden stack={false} scrollLabel={t('admin.users')} rows={users} columns={[
          { ...sortable(ctx, filter, 'login_id', t('login.login_id')), rowHeader: true, cell: (u) => <a href={`/admin/users/${u.id}`}>{u.login_id}</a> },
          { ...sortable(ctx, filter, 'name', t('identity.name')), cell: (u) => u.name },
          { label: t('identity.email'), cell: (u) => u.email },
          { label: t('admin.organisation'), cell: (u) => u.organisation_name },
          { label: t('admin.role'), cell: (u) => t(`admin.role.${u.role}`) },
          { label: t('admin.method'), cell: (u) => methodLabel(ctx, u) },
          { label: t('admin.status'), cell: (u) => <span class={`state state-${u.state}`}>{t(`admin.state.${u.state}`)}</span> },
          { ...sortable(ctx, filter, 'last_login', t('admin.last_login')), cell: (u) => u.last_login_at ? formatDateTime(u.last_login_at, lang) : t('admin.never') },
          { ...sortable(ctx, filter, 'created', t('admin.registered')), cell: (u) => formatDateTime(u.created_at, lang) },
        ]} />
      )}
      <NumberedPager ctx={ctx} path="/admin/users" query={{ ...filter }} page={page} pages={pages} total={total} pageSize={pageSize} />
    </Layout>
  );
}

export interface NewUserValues { org?: string; loginId?: string; email?: string; name?: string; phone?: string; role?: string; lang?: string; groups?: string[] }

export function AdminNewUserPage({ ctx, orgs, groups, values = {}, error, fieldErrors }: {
  ctx: PageCtx; orgs: OrgOption[]; groups: (GroupRow & { organisation_name: string })[]; values?: NewUserValues; error?: FormError | null; fieldErrors?: FieldErrors;
}) {
  const { t } = ctx;
  const errs = fieldErrors ?? {};
  const multiOrg = orgs.length > 1;
  return (
    <Layout ctx={ctx} title={t('admin.new_user')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('admin.new_user')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ href: '/admin/users', label: t('admin.users') }, { label: t('admin.new_user') }]} />} />
      <ErrorSummary t={t} error={error} />
      <p class="hint">{t('admin.password_note')}</p>
      <form method="post" action="/admin/users" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <OrgSelect ctx={ctx} orgs={orgs} value={values.org} />
        <Field t={t} name="loginId" label={t('login.login_id')} hint={t('admin.login_id_hint')} errors={errs} value={values.loginId ?? ''} maxLength={254} autocomplete="off" />
        <Field t={t} name="email" type="email" label={t('identity.email')} errors={errs} value={values.email ?? ''} required maxLength={254} autocomplete="off" />
        <Field t={t} name="name" label={t('identity.name')} hint={t('identity.name_hint')} errors={errs} value={values.name ?? ''} required maxLength={100} autocomplete="off" />
        <Field t={t} name="phone" type="tel" label={t('identity.phone')} hint={t('identity.phone_hint')} errors={errs} value={values.phone ?? ''} required maxLength={40} autocomplete="off" />
        <fieldset>
          <legend>{t('admin.role')}</legend>
          {(['general', 'admin'] as const).map((r) => (
            <div class="check"><input type="radio" id={`f-role-${r}`} name="role" value={r} checked={(values.role ?? 'general') === r} /><label for={`f-role-${r}`}>{t(`admin.role.${r}`)}</label></div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('admin.language')}</legend>
          {(['ja', 'en'] as const).map((l) => (
            <div class="check"><input type="radio" id={`f-lang-${l}`} name="lang" value={l} checked={(values.lang ?? ctx.lang) === l} /><label for={`f-lang-${l}`}>{t(`lang.${l}`)}</label></div>
          ))}
        </fieldset>
        {groups.length > 0 && (
          <fieldset aria-describedby={errs.groups ? 'f-groups-err' : undefined}>
            <legend>{t('admin.groups')}</legend>
            {groups.map((g) => (
              <div class="check">
                <input type="checkbox" id={`f-g-${g.id}`} name="groups" value={g.id} checked={values.groups?.includes(g.id)} />
                <label for={`f-g-${g.id}`}>{g.name}{multiOrg ? ` (${g.organisation_name})` : ''}</label>
              </div>
            ))}
            {errs.groups && <p class="field-error" id="f-groups-err">{errs.groups.map((e) => <span>{t(e.key, e.params)}</span>)}</p>}
          </fieldset>
        )}
        <Button variant="primary">{t('admin.create')}</Button>
      </form>
    </Layout>
  );
}
