// One user, as an admin manages them (S13): facts, lockouts, contact details, role, 2-step method,
// sessions and account state. Forms post to /admin/users/:id/…; all work without JavaScript.
import type { FieldErrors } from '../../errors.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import type { UserOverview } from '../overview.ts';
import { Badge, Button, ButtonLink, Card, DataTable, PageHeader } from '../../web/views/components.ts';
import { AdminNav, Crumbs, methodLabel, statusLabel } from './parts.tsx';

export interface UserPageProps {
  ctx: PageCtx; o: UserOverview; self: boolean; notice?: string | null; error?: FormError | null;
  fieldErrors?: FieldErrors; contactValues?: { email: string; name: string; phone: string };
}

function nameSpacesLabel(name: string) {
  const full = name.includes('\u3000');
  const half = name.includes(' ');
  return full && half ? 'admin.name_spaces.both' as const : full ? 'admin.name_spaces.fullwidth' as const : half ? 'admin.name_spaces.halfwidth' as const : 'admin.name_spaces.none' as const;
}

/** A destructive action: a link to its confirmation page (GET), in danger style; the page posts confirm=yes. */
function DangerLink({ href, label }: { href: string; label: string }) {
  return <ButtonLink variant="danger" href={href}>{label}</ButtonLink>;
}

function PostButton({ ctx, action, label, primary }: { ctx: PageCtx; action: string; label: string; primary?: boolean }) {
  return <form method="post" action={action} class="inline"><Csrf token={ctx.csrf} /><Button variant={primary ? 'primary' : 'secondary'}>{label}</Button></form>;
}

export function AdminUserPage({ ctx, o, self, notice, error, fieldErrors, contactValues }: UserPageProps) {
  const { t, lang } = ctx;
  const { user } = o;
  const base = `/admin/users/${user.id}`;
  const contact = contactValues ?? { email: user.email, name: user.name, phone: user.phone };
  return (
    <Layout ctx={ctx} title={user.name} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={user.name} breadcrumbs={<Crumbs ctx={ctx} trail={[{ href: '/admin/users', label: t('admin.users') }, { label: user.name }]} />} />
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <dl class="facts">
        <dt>{t('login.login_id')}</dt><dd>{user.login_id}</dd>
        <dt>{t('admin.organisation')}</dt><dd>{o.organisationName}</dd>
        <dt>{t('admin.role')}</dt><dd>{t(`admin.role.${user.role}`)}</dd>
        <dt>{t('admin.method')}</dt><dd>{methodLabel(ctx, user)}</dd>
        <dt>{t('admin.status')}</dt><dd>{statusLabel(ctx, user)}</dd>
        {/* S2.1: support can tell a user which space to type («名前は全角/半角スペースを区別します»). */}
        <dt>{t('admin.name_spaces')}</dt><dd>{t(nameSpacesLabel(user.name))}<span class="hint"> {t('admin.name_spaces_hint')}</span></dd>
        <dt>{t('admin.last_login')}</dt><dd>{user.last_login_at ? formatDateTime(user.last_login_at, lang) : t('admin.never')}</dd>
        <dt>{t('admin.groups')}</dt><dd>{o.groups.length ? o.groups.map((g, i) => <>{i > 0 && ', '}<a href={`/admin/groups/${g.id}`}>{g.name}</a></>) : t('admin.no_groups')}</dd>
      </dl>

      <section aria-labelledby="h-lock">
        <h2 id="h-lock">{t('admin.lockouts')}</h2>
        {o.lockouts.passwordUntil || o.lockouts.otpUntil ? (
          <ul>
            {o.lockouts.passwordUntil > 0 && <li>{t('admin.locked_password', { until: formatDateTime(o.lockouts.passwordUntil, lang) })}</li>}
            {o.lockouts.otpUntil > 0 && <li>{t('admin.locked_otp', { until: formatDateTime(o.lockouts.otpUntil, lang) })}</li>}
          </ul>
        ) : <p class="muted">{t('admin.not_locked')}</p>}
        {(o.lockouts.passwordUntil > 0 || o.lockouts.otpUntil > 0) && <PostButton ctx={ctx} action={`${base}/unlock`} label={t('admin.unlock')} />}
      </section>

      <section aria-labelledby="h-contact">
        <h2 id="h-contact">{t('admin.contact')}</h2>
        <form method="post" action={`${base}/contact`} class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <p class="hint">{t('admin.contact_hint')}</p>
          <Field t={t} name="email" type="email" label={t('identity.email')} errors={fieldErrors} value={contact.email} required maxLength={254} autocomplete="off" />
          <Field t={t} name="name" label={t('identity.name')} hint={t('identity.name_hint')} errors={fieldErrors} value={contact.name} required maxLength={100} autocomplete="off" />
          <Field t={t} name="phone" type="tel" label={t('identity.phone')} hint={t('identity.phone_hint')} errors={fieldErrors} value={contact.phone} required maxLength={40} autocomplete="off" />
          <Button>{t('common.save')}</Button>
        </form>
        {!user.first_login_done && user.disabled_at === null && (
          <Card as="div">
            <p class="hint">{t('admin.guide_hint')}</p>
            <p class="hint" id="guide-quota">{t('admin.guide_quota', { count: o.guideQuota.count, cap: o.guideQuota.cap, seconds: o.guideQuota.cooldownMs / 1000 })}
              {o.guideQuota.waiting && <> {t('admin.guide_next_at', { at: formatDateTime(o.guideQuota.nextAt, lang) })}</>}</p>
            <PostButton ctx={ctx} action={`${base}/starting-guide`} label={t('admin.resend_guide')} />
          </Card>
        )}
        <p class="hint">{t('admin.password_note')}</p>
      </section>

      <section aria-labelledby="h-role">
        <h2 id="h-role">{t('admin.change_role')}</h2>
        {self ? <p class="muted">{t('admin.self_note')}</p> : (
          <form method="post" action={`${base}/role`} class="card">
            <Csrf token={ctx.csrf} />
            <fieldset>
              <legend>{t('admin.role')}</legend>
              {(['general', 'admin'] as const).map((r) => (
                <div class="check"><input type="radio" id={`r-${r}`} name="role" value={r} checked={user.role === r} /><label for={`r-${r}`}>{t(`admin.role.${r}`)}</label></div>
              ))}
            </fieldset>
            <Button>{t('admin.assign')}</Button>
          </form>
        )}
      </section>

      <section aria-labelledby="h-2fa">
        <h2 id="h-2fa">{t('admin.assign_method')}</h2>
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
          <Button>{t('admin.assign')}</Button>
        </form>
        {(user.two_step.totpEnrolled || o.trustedBrowsers > 0) && (
          <div class="actions">
            {user.two_step.totpEnrolled && <DangerLink href={`${base}/totp-reset`} label={t('admin.reset_totp')} />}
            {o.trustedBrowsers > 0 && <DangerLink href={`${base}/trusted-browsers/revoke`} label={t('admin.revoke_browsers')} />}
          </div>
        )}
      </section>

      <section id="admin-passkeys" aria-labelledby="h-passkeys">
        <h2 id="h-passkeys">{t('admin.passkeys')}</h2>
        {o.passkeys.length === 0 ? <p class="muted">{t('admin.no_passkeys')}</p> : (
          <DataTable caption={t('admin.passkeys')} captionHidden scrollLabel={t('admin.passkeys')} rows={o.passkeys} columns={[
            { label: t('passkey.label'), rowHeader: true, cell: (p) => p.label || t('passkey.label_default') },
            { label: t('passkey.created'), class: 'nowrap', cell: (p) => formatDateTime(p.createdAt, lang) },
            { label: t('passkey.last_used'), class: 'nowrap', cell: (p) => (p.lastUsedAt ? formatDateTime(p.lastUsedAt, lang) : t('passkey.never')) },
            { label: t('passkey.aaguid'), cell: (p) => <code>{p.aaguid}</code> },
            { label: t('passkey.synced'), cell: (p) => (p.backupEligible ? <Badge tone="info">{t('passkey.synced')}</Badge> : <Badge>{t('passkey.device_bound')}</Badge>) },
            { label: t('passkey.revoke'), cell: (p) => <DangerLink href={`${base}/passkeys/${p.id}/revoke`} label={t('passkey.revoke')} /> },
          ]} />
        )}
      </section>

      <section aria-labelledby="h-sessions">
        <h2 id="h-sessions">{t('admin.sessions')}</h2>
        <p>{t('admin.live_sessions', { count: o.liveSessions })}</p>
        {o.liveSessions > 0 && <DangerLink href={`${base}/sessions/revoke`} label={t('admin.revoke_sessions')} />}
      </section>

      <section aria-labelledby="h-account">
        <h2 id="h-account">{t('admin.account')}</h2>
        {self ? <p class="muted">{t('admin.self_note')}</p> : user.disabled_at === null ? (
          <><p class="hint">{t('admin.disable_hint')}</p><DangerLink href={`${base}/disable`} label={t('admin.disable')} /></>
        ) : <PostButton ctx={ctx} action={`${base}/enable`} label={t('admin.enable')} primary />}
      </section>
    </Layout>
  );
}
