import type { FieldErrors } from '../../errors.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, type FormError } from '../../web/views/form.tsx';
import type { IdentityField } from '../tenancy/presets.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { GuideStep } from '../first-login/guide.ts';
import type { LiveRules, RuleItem } from '../first-login/service.ts';
import { GuideIndicator } from '../first-login/step-indicator.tsx';
import { Alert, Button, ButtonLink, Card, PageHeader } from '../../web/views/components.ts';

const identityLabels: Record<IdentityField, MessageKey> = {
  loginId: 'identity.login_id', email: 'identity.email', name: 'identity.name', phone: 'identity.phone',
};

export function IdentityPage({ ctx, flowId, fields, values, error, fieldErrors, guide }: {
  ctx: PageCtx; flowId: string; fields: IdentityField[]; values?: Partial<Record<IdentityField, string>>; error?: FormError | null; fieldErrors?: FieldErrors;
  guide?: GuideStep[] | null;
}) {
  const { t } = ctx;
  // A refused answer shows how many tries the link has left (issue 16: say what to do next).
  const left = error?.params?.left;
  const summary = error && left !== undefined ? { ...error, list: [{ key: 'auth.identity_attempts_left' as const, params: { left } }] } : error;
  return (
    <Layout ctx={ctx} title={t('identity.title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('identity.title')} lead={t('identity.intro')} />
      <ErrorSummary t={t} error={summary} />
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/identity`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          {fields.map((f, i) => (
            <Field t={t} name={f} label={t(identityLabels[f])} value={values?.[f] ?? ''} required maxLength={254} errors={fieldErrors}
              autoFocus={i === 0}
              hint={f === 'name' ? t('identity.name_hint') : f === 'phone' ? t('identity.phone_hint') : f === 'email' ? t('identity.email_hint') : t('identity.login_id_hint')}
              type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
              inputMode={f === 'phone' ? 'numeric' : undefined}
              autocomplete={f === 'email' ? 'email' : f === 'phone' ? 'tel' : f === 'name' ? 'name' : 'username'} />
          ))}
          <Button variant="primary">{t('common.continue')}</Button>
        </form>
      </Card>
    </Layout>
  );
}

/** The policy as JSON for an attribute, with < and > as \u escapes (the symbols list holds both). */
function policyJson(live: LiveRules): string {
  return JSON.stringify(live).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
}

/**
 * The new password (first login and reset). The rules are the policy's, listed as plain text; with
 * JavaScript (password-rules.js) each one the browser can check ticks as the user types, a polite
 * summary says how many are met once typing pauses, and a toggle shows the password. The server
 * checks every rule again on save.
 */
export function PasswordPage({ ctx, action, rules, live, error, fieldErrors, loginId, guide }: {
  ctx: PageCtx; action: string; rules: RuleItem[]; live: LiveRules; error?: FormError | null; fieldErrors?: FieldErrors; loginId: string;
  guide?: GuideStep[] | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.title')} scripts={['password-rules.js']}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('password.title')} lead={t('password.intro')} />
      <ErrorSummary t={t} error={error} />
      <section class="rules" aria-labelledby="rules-h">
        <h2 id="rules-h">{t('password.rules')}</h2>
        <ul id="password-rules" data-for="f-password" data-policy={policyJson(live)}
          data-met={t('guide.rules_met')} data-unmet={t('guide.rules_unmet')} data-on-save={t('guide.rules_on_save')}
          data-summary={t('guide.rules_summary')} data-all-met={t('guide.rules_all_met')}>
          {rules.map((r) => (
            <li data-rule={r.id} data-live={r.live ? 'true' : 'false'}>
              <span class="rule-text">{t(r.key, r.params)}</span>
              <span class="rule-state" />
            </li>
          ))}
        </ul>
        {/* Filled by the script once typing pauses, and only when the count changed: not read at every key. */}
        <p class="hint rules-summary" id="rules-summary" aria-live="polite" />
      </section>
      <Card as="div">
        <form method="post" action={action} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          {/* A hidden username helps password managers store the right account. */}
          <input type="text" name="username" value={loginId} autocomplete="username" hidden readOnly />
          <Field t={t} name="password" type="password" label={t('password.new')} autocomplete="new-password" required maxLength={1024} errors={fieldErrors} autoFocus />
          <Field t={t} name="confirm" type="password" label={t('password.confirm')} autocomplete="new-password" required maxLength={1024} errors={fieldErrors} />
          {/* Only with JavaScript (the script unhides it): without it there is nothing to toggle. */}
          <p class="show-password">
            <Button type="button" data-toggle-password="f-password f-confirm" aria-pressed="false" hidden>{t('guide.show_password')}</Button>
          </p>
          <Button variant="primary">{t('common.save')}</Button>
        </form>
      </Card>
    </Layout>
  );
}

export function PasswordDonePage({ ctx, guide }: { ctx: PageCtx; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.done_title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('password.done_title')} />
      <Alert kind="success"><p>{t('password.done_body')}</p></Alert>
      <p><ButtonLink href={`/login${ctx.portal.query}`} variant="primary">{t('password.return')}</ButtonLink></p>
    </Layout>
  );
}

export function LinkInvalidPage({ ctx, locked }: { ctx: PageCtx; locked?: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('auth.link_invalid')}>
      <PageHeader title={t('auth.link_invalid')} />
      <Alert kind="error"><p>{locked ? t('auth.link_locked') : t('auth.link_invalid_body')}</p></Alert>
      <p><ButtonLink href={`/password/reset${ctx.portal.query}`}>{t('login.forgot')}</ButtonLink></p>
    </Layout>
  );
}
