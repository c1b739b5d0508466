// User list with search, and the registration form (S1, S13).
import type { FieldErrors } from '../../errors.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, type FormError } from '../../web/views/form.tsx';
import type { ListedUser } from '../../auth/service.ts';
import type { GroupRow } from '../../portal/groups/service.ts';
import { AdminNav, methodLabel, OrgSelect, Pager, statusLabel, type OrgOption } from './parts.tsx';

export function AdminUsersPage({ ctx, users, orgs, q, org, page, hasNext }: {
  ctx: PageCtx; users: ListedUser[]; orgs: OrgOption[]; q?: string | undefined; org?: string | undefined; page: number; hasNext: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.users')} wide>
      <AdminNav ctx={ctx} />
      <h1>{t('admin.users')}</h1>
      <p><a class="button primary" href={org ? `/admin/users/new?org=${encodeURIComponent(org)}` : '/admin/users/new'}>{t('admin.new_user')}</a></p>
      <form method="get" action="/admin/users" class="card" role="search">
        <div class="field">
          <label for="f-q">{t('admin.search_label')}</label>
          <input id="f-q" name="q" type="search" value={q ?? ''} maxLength={200} />
        </div>
        <OrgSelect ctx={ctx} orgs={orgs} value={org} allowAll />
        <button type="submit">{t('admin.search')}</button>
      </form>
      {users.length === 0 ? <p class="muted">{t('admin.no_users')}</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('login.login_id')}</th><th scope="col">{t('identity.name')}</th><th scope="col">{t('identity.email')}</th><th scope="col">{t('admin.organisation')}</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('admin.method')}</th><th scope="col">{t('admin.status')}</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr>
                  <td><a href={`/admin/users/${u.id}`}>{u.login_id}</a></td>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.organisation_name}</td>
                  <td>{t(`admin.role.${u.role}`)}</td>
                  <td>{methodLabel(ctx, u)}</td>
                  <td>{statusLabel(ctx, u)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager ctx={ctx} path="/admin/users" query={{ q, org }} page={page} hasNext={hasNext} />
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
      <h1>{t('admin.new_user')}</h1>
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
        <button type="submit" class="primary">{t('admin.create')}</button>
      </form>
    </Layout>
  );
}
