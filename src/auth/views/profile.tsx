import { formatDateTime } from '../../i18n/index.ts';
import type { SessionRow } from '../sessions/store.ts';
import type { TrustedDeviceRow } from '../login/factor-store.ts';
import type { UserRow } from '../users/store.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { Badge, Button, Card, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import type { FieldErrors } from '../../errors.ts';
import { describeAuditRow } from '../../audit/describe.ts';
import { AuditEventText } from '../../audit/view.tsx';
import { describeDevice } from '../sessions/device.ts';
import type { Passkey } from '../passkeys/store.ts';
import { PasskeysCard } from './passkeys.tsx';

export interface ProfileProps {
  ctx: PageCtx; user: UserRow; currentSessionId: string; sessions: SessionRow[]; devices: TrustedDeviceRow[];
  backupLeft: number; events: { at: number; event: string; ip: string; factor: string | null; detail: string; repeat_count: number; last_at: number | null }[];
  /** The user's organisation, shown with their registered information (issue 20 item 7). */
  organisationName: string | null;
  error?: FormError | null; errorFor?: 'reenrol' | 'backup' | 'password' | 'language' | 'passkey' | null; notice?: string | null; fieldErrors?: FieldErrors;
  /** Issue 23: the user's passkeys, whether the organisation allows them, and how long a sign-in counts as fresh. */
  passkeys?: Passkey[]; passkeysAllowed?: boolean; freshMinutes?: number;
}

/** The contact data identity verification depends on: read here, changed by an admin (issue 20 item 7). */
function RegisteredInfo({ ctx, user, organisationName }: { ctx: PageCtx; user: UserRow; organisationName: string | null }) {
  const { t } = ctx;
  const rows: [string, string][] = [
    [t('profile.login_id'), user.login_id], [t('profile.name'), user.name], [t('profile.email'), user.email],
    [t('profile.phone'), user.phone], [t('profile.organisation'), organisationName ?? ''],
  ];
  return (
    <section aria-labelledby="h-contact">
      <h2 id="h-contact">{t('profile.contact')}</h2>
      <Card as="div">
        <dl class="profile-info">{rows.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}</dl>
        <p class="hint">{t('profile.contact_hint')}</p>
      </Card>
    </section>
  );
}

function LanguageForm({ ctx, user, fieldErrors }: { ctx: PageCtx; user: UserRow; fieldErrors?: FieldErrors | undefined }) {
  const { t } = ctx;
  const errs = fieldErrors?.lang ?? [];
  return (
    <section aria-labelledby="h-language">
      <h2 id="h-language">{t('profile.language')}</h2>
      <Card as="div">
        <form method="post" action="/profile/language" novalidate>
          <Csrf token={ctx.csrf} />
          <div class={errs.length ? 'field invalid' : 'field'}>
            <label for="f-lang">{t('profile.language')}</label>
            <p class="hint" id="f-lang-hint">{t('profile.language_hint')}</p>
            <select id="f-lang" name="lang" aria-describedby={errs.length ? 'f-lang-hint f-lang-err' : 'f-lang-hint'} aria-invalid={errs.length ? 'true' : undefined}>
              <option value="ja" selected={user.lang === 'ja'} lang="ja">{t('profile.lang.ja')}</option>
              <option value="en" selected={user.lang === 'en'} lang="en">{t('profile.lang.en')}</option>
            </select>
            {errs.length > 0 && <p class="field-error" id="f-lang-err">{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p>}
          </div>
          <Button>{t('profile.language_save')}</Button>
        </form>
      </Card>
    </section>
  );
}

function CodeForm({ ctx, action, label, error }: { ctx: PageCtx; action: string; label: string; error?: FormError | null }) {
  const { t } = ctx;
  const name = 'code';
  return (
    <form method="post" action={action} novalidate>
      <Csrf token={ctx.csrf} />
      <Field t={t} name={name} label={t('profile.current_code')} hint={t('profile.reenrol_hint')} inputMode="numeric" autocomplete="one-time-code"
        maxLength={12} required errors={error ? { [name]: [{ key: error.key, params: error.params }] } : undefined} />
      <Button>{label}</Button>
    </form>
  );
}

/** The sessions: when, where from, which browser; the last column ends any but this one. */
function sessionColumns(ctx: PageCtx, currentSessionId: string): Column<SessionRow>[] {
  const { t, lang } = ctx;
  return [
    { label: t('profile.started'), cell: (s) => <>{formatDateTime(s.created_at, lang)}{s.aal === 'aal1_skipped' && <> <Badge tone="info">{t('profile.session_skipped')}</Badge></>}</> },
    { label: t('profile.last_seen'), cell: (s) => formatDateTime(s.last_seen_at, lang) },
    { label: t('profile.ip'), cell: (s) => s.ip },
    // The raw agent stays at hand as a tooltip; the words are what the page says.
    { label: t('profile.browser'), cell: (s) => <span title={s.user_agent}>{describeDevice(s.user_agent, lang)}</span> },
    // No phone label (the cell is a button or «this browser», which say it); the heading is for screen readers.
    { label: '', header: <span class="sr">{t('profile.revoke')}</span>, cell: (s) => s.id === currentSessionId ? <strong>{t('profile.session_current')}</strong> : (
      <form method="post" action="/profile/sessions/revoke" class="inline">
        <Csrf token={ctx.csrf} /><input type="hidden" name="sessionId" value={s.id} />
        <Button class="link">{t('profile.revoke')}</Button>
      </form>
    ) },
  ];
}

function eventColumns(ctx: PageCtx): Column<ProfileProps['events'][number]>[] {
  const { t, lang } = ctx;
  return [
    { label: t('profile.when'), class: 'nowrap', cell: (e) => formatDateTime(e.at, lang) },
    { label: t('profile.event'), cell: (e) => <AuditEventText d={describeAuditRow({ event: e.event, factor: e.factor, detail: e.detail, repeatCount: Number(e.repeat_count), lastAt: e.last_at }, lang)} /> },
    { label: t('profile.ip'), class: 'nowrap', cell: (e) => e.ip },
  ];
}

export function ProfilePage(p: ProfileProps) {
  const { ctx, user } = p;
  const { t, lang } = ctx;
  const method = user.second_factor === 'totp' && user.totp_enrolled_at ? 'totp' : user.second_factor === 'mail_otp' ? 'mail_otp' : null;
  return (
    <Layout ctx={ctx} title={t('profile.title')} wide>
      <PageHeader title={t('profile.title')} />
      {p.notice && <Notice>{p.notice}</Notice>}
      <ErrorSummary t={t} error={p.error} />
      <RegisteredInfo ctx={ctx} user={user} organisationName={p.organisationName} />
      <LanguageForm ctx={ctx} user={user} fieldErrors={p.errorFor === 'language' ? p.fieldErrors : undefined} />
      <section aria-labelledby="h-method">
        <h2 id="h-method">{t('profile.method')}</h2>
        <p>{t(method ? `profile.method.${method}` : 'profile.method.none')}</p>
        {method === 'totp' && (
          <div class="grid2">
            <Card as="div" level={3} title={t('profile.reenrol_totp')}>
              <CodeForm ctx={ctx} action="/profile/totp/reenrol" label={t('profile.reenrol_totp')} error={p.errorFor === 'reenrol' ? p.error : null} />
            </Card>
            <Card as="div" level={3} title={t('profile.backup_left', { count: p.backupLeft })}>
              <p class="hint">{t('profile.regenerate_hint')}</p>
              <CodeForm ctx={ctx} action="/profile/backup-codes" label={t('profile.regenerate_backup')} error={p.errorFor === 'backup' ? p.error : null} />
            </Card>
          </div>
        )}
      </section>

      <PasskeysCard ctx={ctx} passkeys={p.passkeys ?? []} allowed={p.passkeysAllowed ?? false} freshMinutes={p.freshMinutes ?? 10}
        error={p.errorFor === 'passkey'} fieldErrors={p.fieldErrors} />

      <section aria-labelledby="h-password">
        <h2 id="h-password">{t('profile.change_password')}</h2>
        <Card as="div">
          <form method="post" action="/profile/password" novalidate>
            <Csrf token={ctx.csrf} />
            <input type="text" name="username" value={user.login_id} autocomplete="username" hidden readOnly />
            <Field t={t} name="currentPassword" type="password" label={t('profile.current_password')} autocomplete="current-password" required maxLength={1024} errors={p.errorFor === 'password' ? p.fieldErrors : undefined} />
            <Field t={t} name="password" type="password" label={t('password.new')} autocomplete="new-password" required maxLength={1024} errors={p.errorFor === 'password' ? p.fieldErrors : undefined} />
            <Field t={t} name="confirm" type="password" label={t('password.confirm')} autocomplete="new-password" required maxLength={1024} errors={p.errorFor === 'password' ? p.fieldErrors : undefined} />
            <Button>{t('profile.change_password')}</Button>
          </form>
        </Card>
      </section>

      <section aria-labelledby="h-sessions">
        <h2 id="h-sessions">{t('profile.sessions')}</h2>
        <DataTable caption={t('profile.sessions')} captionHidden scrollLabel={t('profile.sessions')} columns={sessionColumns(ctx, p.currentSessionId)} rows={p.sessions} />
        <form method="post" action="/profile/sessions/revoke-all" class="inline">
          <Csrf token={ctx.csrf} />
          <Button>{t('profile.sign_out_everywhere')}</Button>
        </form>
      </section>

      <section aria-labelledby="h-devices">
        <h2 id="h-devices">{t('profile.trusted_browsers')}</h2>
        {p.devices.length === 0 ? <EmptyState level={3} heading={t('profile.no_trusted_browsers')} /> : (
          <>
            <ul>{p.devices.map((d) => <li><span title={d.user_agent}>{describeDevice(d.user_agent, lang)}</span> — {t('profile.expires')}: {formatDateTime(d.expires_at, lang)}</li>)}</ul>
            <form method="post" action="/profile/trusted-browsers/revoke" class="inline">
              <Csrf token={ctx.csrf} />
              <Button>{t('profile.revoke_all_browsers')}</Button>
            </form>
          </>
        )}
      </section>

      <section aria-labelledby="h-events">
        <h2 id="h-events">{t('profile.security_events')}</h2>
        {p.events.length === 0 ? <EmptyState level={3} heading={t('profile.no_events')} /> : (
          <DataTable caption={t('profile.security_events')} captionHidden scrollLabel={t('profile.security_events')} class="audit-table"
            columns={eventColumns(ctx)} rows={p.events} />
        )}
      </section>
    </Layout>
  );
}
