import type { FieldErrors } from '../../errors.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, type FormError } from '../../web/views/form.tsx';
import type { IdentityField } from '../tenancy/presets.ts';
import type { MessageKey } from '../../i18n/index.ts';

const identityLabels: Record<IdentityField, MessageKey> = {
  loginId: 'identity.login_id', email: 'identity.email', name: 'identity.name', phone: 'identity.phone',
};

export function IdentityPage({ ctx, flowId, fields, values, error, fieldErrors }: {
  ctx: PageCtx; flowId: string; fields: IdentityField[]; values?: Partial<Record<IdentityField, string>>; error?: FormError | null; fieldErrors?: FieldErrors;
}) {
  const { t } = ctx;
  // A refused answer shows how many tries the link has left (issue 16: say what to do next).
  const left = error?.params?.left;
  const summary = error && left !== undefined ? { ...error, list: [{ key: 'auth.identity_attempts_left' as const, params: { left } }] } : error;
  return (
    <Layout ctx={ctx} title={t('identity.title')}>
      <h1>{t('identity.title')}</h1>
      <p>{t('identity.intro')}</p>
      <ErrorSummary t={t} error={summary} />
      <form method="post" action={`/auth/flows/${flowId}/identity`} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        {fields.map((f, i) => (
          <Field t={t} name={f} label={t(identityLabels[f])} value={values?.[f] ?? ''} required maxLength={254} errors={fieldErrors}
            autoFocus={i === 0}
            hint={f === 'name' ? t('identity.name_hint') : f === 'phone' ? t('identity.phone_hint') : f === 'email' ? t('identity.email_hint') : t('identity.login_id_hint')}
            type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
            inputMode={f === 'phone' ? 'numeric' : undefined}
            autocomplete={f === 'email' ? 'email' : f === 'phone' ? 'tel' : f === 'name' ? 'name' : 'username'} />
        ))}
        <button type="submit" class="primary">{t('common.continue')}</button>
      </form>
    </Layout>
  );
}

export function PasswordPage({ ctx, action, rules, error, fieldErrors, loginId }: {
  ctx: PageCtx; action: string; rules: { key: MessageKey; params?: Record<string, string | number> }[]; error?: FormError | null; fieldErrors?: FieldErrors; loginId: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.title')}>
      <h1>{t('password.title')}</h1>
      <p>{t('password.intro')}</p>
      <ErrorSummary t={t} error={error} />
      <section class="rules" aria-labelledby="rules-h">
        <h2 id="rules-h">{t('password.rules')}</h2>
        <ul>{rules.map((r) => <li>{t(r.key, r.params)}</li>)}</ul>
      </section>
      <form method="post" action={action} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        {/* A hidden username helps password managers store the right account. */}
        <input type="text" name="username" value={loginId} autocomplete="username" hidden readOnly />
        <Field t={t} name="password" type="password" label={t('password.new')} autocomplete="new-password" required maxLength={1024} errors={fieldErrors} autoFocus />
        <Field t={t} name="confirm" type="password" label={t('password.confirm')} autocomplete="new-password" required maxLength={1024} errors={fieldErrors} />
        <button type="submit" class="primary">{t('common.save')}</button>
      </form>
    </Layout>
  );
}

export function PasswordDonePage({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.done_title')}>
      <h1>{t('password.done_title')}</h1>
      <div class="alert success" role="status"><p>{t('password.done_body')}</p></div>
      <p><a class="button primary" href={`/login${ctx.portal.query}`}>{t('password.return')}</a></p>
    </Layout>
  );
}

export function LinkInvalidPage({ ctx, locked }: { ctx: PageCtx; locked?: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('auth.link_invalid')}>
      <h1>{t('auth.link_invalid')}</h1>
      <div class="alert error" role="alert"><p>{locked ? t('auth.link_locked') : t('auth.link_invalid_body')}</p></div>
      <p><a class="button" href={`/password/reset${ctx.portal.query}`}>{t('login.forgot')}</a></p>
    </Layout>
  );
}
