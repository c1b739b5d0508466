import type { UserRow } from '../../auth/users/store.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../web/views/form.tsx';

function methodLabel(ctx: PageCtx, u: UserRow): string {
  if (u.second_factor === 'mail_otp') return ctx.t('profile.method.mail_otp');
  if (u.second_factor === 'totp') return ctx.t('profile.method.totp') + (u.totp_enrolled_at ? '' : ` (${ctx.t('profile.method.none')})`);
  return ctx.t('profile.method.none');
}

function AdminNav({ ctx }: { ctx: PageCtx }) {
  return <nav class="subnav" aria-label={ctx.t('admin.title')}><a href="/admin/users">{ctx.t('admin.users')}</a> <a href="/admin/settings">{ctx.t('admin.settings')}</a></nav>;
}

export function AdminUsersPage({ ctx, users }: { ctx: PageCtx; users: (UserRow & { organisation_name: string })[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.users')} wide>
      <AdminNav ctx={ctx} />
      <h1>{t('admin.users')}</h1>
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">{t('login.login_id')}</th><th scope="col">{t('identity.name')}</th><th scope="col">{t('admin.organisation')}</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('admin.method')}</th><th scope="col">{t('admin.status')}</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td><a href={`/admin/users/${u.id}`}>{u.login_id}</a></td>
                <td>{u.name}</td>
                <td>{u.organisation_name}</td>
                <td>{t(`admin.role.${u.role}`)}</td>
                <td>{methodLabel(ctx, u)}</td>
                <td>{u.disabled_at ? t('admin.disabled') : u.password_hash ? t('admin.active') : t('admin.setup_pending')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function AdminUserPage({ ctx, user, notice, error }: { ctx: PageCtx; user: UserRow; notice?: string | null; error?: FormError | null }) {
  const { t } = ctx;
  const base = `/admin/users/${user.id}`;
  return (
    <Layout ctx={ctx} title={user.name} wide>
      <AdminNav ctx={ctx} />
      <h1>{user.name}</h1>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <dl class="facts">
        <dt>{t('login.login_id')}</dt><dd>{user.login_id}</dd>
        <dt>{t('identity.email')}</dt><dd>{user.email}</dd>
        <dt>{t('identity.phone')}</dt><dd>{user.phone}</dd>
        <dt>{t('admin.role')}</dt><dd>{t(`admin.role.${user.role}`)}</dd>
        <dt>{t('admin.method')}</dt><dd>{methodLabel(ctx, user)}</dd>
      </dl>
      <form method="post" action={`${base}/second-factor`} class="card">
        <Csrf token={ctx.csrf} />
        <fieldset>
          <legend>{t('admin.assign_method')}</legend>
          {(['totp', 'mail_otp'] as const).map((m) => (
            <div class="check">
              <input type="radio" id={`am-${m}`} name="method" value={m} checked={user.second_factor === m} />
              <label for={`am-${m}`}>{t(m === 'totp' ? 'mfa.select.totp' : 'mfa.select.mail_otp')}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">{t('admin.assign')}</button>
      </form>
      <div class="actions">
        <form method="post" action={`${base}/totp-reset`} class="inline"><Csrf token={ctx.csrf} /><button type="submit">{t('admin.reset_totp')}</button></form>
        <form method="post" action={`${base}/trusted-browsers/revoke`} class="inline"><Csrf token={ctx.csrf} /><button type="submit">{t('admin.revoke_browsers')}</button></form>
      </div>
    </Layout>
  );
}

export function AdminSettingsPage({ ctx, networks, trustedBrowsers, notice, error, cidrValue }: {
  ctx: PageCtx; networks: { id: string; cidr: string; label: string }[]; trustedBrowsers: boolean; notice?: string | null; error?: FormError | null; cidrValue?: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.settings')} wide>
      <AdminNav ctx={ctx} />
      <h1>{t('admin.settings')}</h1>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <section aria-labelledby="h-net">
        <h2 id="h-net">{t('admin.networks')}</h2>
        {networks.length === 0 ? <p class="muted">{t('admin.no_networks')}</p> : (
          <ul class="plain">
            {networks.map((n) => (
              <li>
                <code>{n.cidr}</code> {n.label}{' '}
                <form method="post" action={`/admin/settings/networks/${n.id}/remove`} class="inline"><Csrf token={ctx.csrf} /><button type="submit" class="link">{t('admin.remove')}</button></form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/admin/settings/networks" class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <div class={error ? 'field invalid' : 'field'}>
            <label for="f-cidr">{t('admin.network_cidr')}</label>
            <input id="f-cidr" name="cidr" value={cidrValue ?? ''} required maxLength={64} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'f-cidr-err' : undefined} />
            {error && <p class="field-error" id="f-cidr-err">{t(error.key)}</p>}
          </div>
          <div class="field"><label for="f-label">{t('admin.network_label')}</label><input id="f-label" name="label" maxLength={100} /></div>
          <button type="submit">{t('admin.add')}</button>
        </form>
      </section>
      <section aria-labelledby="h-tb">
        <h2 id="h-tb">{t('admin.trusted_browsers')}</h2>
        <form method="post" action="/admin/settings/trusted-browsers" class="card">
          <Csrf token={ctx.csrf} />
          <div class="check">
            <input type="checkbox" id="f-tb" name="enabled" value="1" checked={trustedBrowsers} aria-describedby="f-tb-hint" />
            <label for="f-tb">{t('admin.trusted_browsers')}</label>
          </div>
          <p class="hint" id="f-tb-hint">{t('admin.trusted_browsers_hint')}</p>
          <button type="submit">{t('common.save')}</button>
        </form>
      </section>
    </Layout>
  );
}
