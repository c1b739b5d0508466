// Issue 23 (S3.9): the passkey pages and parts. Each passkey form carries the server's options
// (data-options) and posts the browser's answer in `credential`; /static/passkey.js does the WebAuthn
// call. Without JavaScript (or WebAuthn) the passkey parts stay hidden and the other ways in remain.
// Stable ids for browser tests: #passkey-signin-form, #passkey-signin, #passkey-form, #passkey-use,
// #passkey-other, #passkey-register-form, #f-label, #passkey-register, #passkey-setup-form, #passkey-setup,
// #passkey-setup-back, #passkey-setup-held, #passkeys (the card),
// #passkey-add-form (#f-code, #passkey-add), #passkey-remove-form (#f-passkey-id, #f-removeCode, #passkey-remove).
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import type { GuideStep } from '../first-login/guide.ts';
import { GuideIndicator } from '../first-login/step-indicator.tsx';
import { Badge, Button, Card, DataTable, EmptyState, PageHeader, type Column } from '../../web/views/components.ts';
import type { FieldErrors } from '../../errors.ts';
import type { Passkey } from '../passkeys/store.ts';

const SCRIPTS = ['passkey.js'];
export const passkeyScripts = SCRIPTS;

/** The message a failed browser ceremony shows (the server's refusals come back as pages). */
function ErrorLine() {
  return <p class="error" role="alert" data-passkey-error hidden />;
}

/** «パスキーでログイン» on the login page: discoverable credentials, and the login ID field's autofill where supported. */
export function PasskeySignin({ ctx, flowId, options }: { ctx: PageCtx; flowId: string; options: string }) {
  const { t } = ctx;
  return (
    <div data-passkey-box hidden>
      <Card as="div">
        <form id="passkey-signin-form" method="post" action={`/auth/flows/${flowId}/passkey/signin${ctx.portal.query}`} data-passkey="get" data-passkey-conditional
          data-options={options} data-failed={t('auth.passkey_refused')}>
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="credential" value="" />
          <p class="hint">{t('passkey.signin_hint')}</p>
          <ErrorLine />
          <Button id="passkey-signin">{t('passkey.signin')}</Button>
        </form>
      </Card>
    </div>
  );
}

/** The second step with a passkey, and «別の方法を使う». */
export function PasskeyStepPage({ ctx, flowId, options, error }: { ctx: PageCtx; flowId: string; options: string; error?: FormError | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('passkey.step_title')} scripts={SCRIPTS}>
      <PageHeader title={t('passkey.step_title')} lead={t('passkey.step_intro')} />
      <ErrorSummary t={t} error={error} />
      <noscript><p class="hint">{t('passkey.needs_js')}</p></noscript>
      <div data-passkey-box hidden>
        <Card as="div">
          <form id="passkey-form" method="post" action={`/auth/flows/${flowId}/passkey`} data-passkey="get" data-options={options} data-failed={t('auth.passkey_refused')}>
            <Csrf token={ctx.csrf} />
            <input type="hidden" name="credential" value="" />
            <ErrorLine />
            <Button id="passkey-use" variant="primary">{t('passkey.use')}</Button>
          </form>
        </Card>
      </div>
      <form method="post" action={`/auth/flows/${flowId}/passkey/other`} class="inline">
        <Csrf token={ctx.csrf} />
        <Button id="passkey-other">{t('passkey.other')}</Button>
      </form>
    </Layout>
  );
}

/**
 * Registration: from the security settings (a passkey_register flow; back is a link) or during the
 * 2-step setup (a login flow; back is the `passkey/enrol/back` step, a form).
 */
export function PasskeyRegisterPage({ ctx, flowId, options, error, setup, guide }: { ctx: PageCtx; flowId: string; options: string; error?: FormError | null; setup?: boolean; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('passkey.register_title')} scripts={SCRIPTS} nav={false}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('passkey.register_title')} lead={t(setup ? 'passkey.setup_intro' : 'passkey.register_intro')} />
      <ErrorSummary t={t} error={error} />
      <noscript><p class="hint">{t('passkey.needs_js')}</p></noscript>
      <div data-passkey-box hidden>
        <Card as="div">
          <form id="passkey-register-form" method="post" action={`/auth/flows/${flowId}/passkey/${setup ? 'enrol' : 'register'}`} data-passkey="create" data-options={options} data-failed={t('auth.passkey_refused')}>
            <Csrf token={ctx.csrf} />
            <input type="hidden" name="credential" value="" />
            <Field t={ctx.t} name="label" label={t('passkey.label')} maxLength={60} autocomplete="off" />
            <ErrorLine />
            <Button id="passkey-register" variant="primary">{t('passkey.register')}</Button>
          </form>
        </Card>
      </div>
      {setup
        ? (
          <form method="post" action={`/auth/flows/${flowId}/passkey/enrol/back`} class="inline">
            <Csrf token={ctx.csrf} />
            <Button id="passkey-setup-back">{t('passkey.setup_back')}</Button>
          </form>
        )
        : <p class="aside"><a href="/profile">{t('passkey.cancel')}</a></p>}
    </Layout>
  );
}

/**
 * The 2-step setup's passkey part (method choice, TOTP setup): «パスキーを登録» where the organisation
 * allows passkeys and the user holds none; once one is held, a notice that the fallback comes next.
 * Without JavaScript the offer stays hidden (the ceremony needs it); the setup goes on as before.
 */
export function PasskeySetupOffer({ ctx, flowId, offer }: { ctx: PageCtx; flowId: string; offer: 'offer' | 'held' | null }) {
  const { t } = ctx;
  if (offer === 'held') return <div id="passkey-setup-held"><Notice>{t('passkey.setup_held')}</Notice></div>;
  if (offer !== 'offer') return null;
  return (
    <div data-passkey-box hidden>
      <Card as="div" title={t('passkey.setup_title')}>
        <p class="hint">{t('passkey.setup_hint')}</p>
        <form id="passkey-setup-form" method="post" action={`/auth/flows/${flowId}/passkey/setup`}>
          <Csrf token={ctx.csrf} />
          <Button id="passkey-setup">{t('passkey.setup_button')}</Button>
        </form>
      </Card>
    </div>
  );
}

export function passkeyName(ctx: PageCtx, p: Passkey): string {
  return p.label || ctx.t('passkey.label_default');
}

/** The security settings' «パスキー» card: list (name, created, last used, synced), add, remove. */
export function PasskeysCard({ ctx, passkeys, allowed, freshMinutes, error, fieldErrors }: { ctx: PageCtx; passkeys: Passkey[]; allowed: boolean; freshMinutes: number; error?: boolean; fieldErrors?: FieldErrors }) {
  const { t, lang } = ctx;
  if (!allowed && passkeys.length === 0) return null;
  const codeLabel = t('passkey.code_label', { minutes: freshMinutes });
  const columns: Column<Passkey>[] = [
    { label: t('passkey.label'), rowHeader: true, cell: (p) => passkeyName(ctx, p) },
    { label: t('passkey.created'), class: 'nowrap', cell: (p) => formatDateTime(p.createdAt, lang) },
    { label: t('passkey.last_used'), class: 'nowrap', cell: (p) => (p.lastUsedAt ? formatDateTime(p.lastUsedAt, lang) : t('passkey.never')) },
    { label: t('passkey.synced'), cell: (p) => (p.backupEligible ? <Badge tone="info">{t('passkey.synced')}</Badge> : <Badge>{t('passkey.device_bound')}</Badge>) },
  ];
  return (
    <section id="passkeys" aria-labelledby="h-passkeys">
      <h2 id="h-passkeys">{t('passkey.card_title')}</h2>
      <p class="hint">{t('passkey.card_intro')}</p>
      {passkeys.length === 0 ? <EmptyState level={3} heading={t('passkey.none')} />
        : <DataTable caption={t('passkey.card_title')} captionHidden scrollLabel={t('passkey.card_title')} columns={columns} rows={passkeys} />}
      {allowed && (
        <Card as="div">
          <form id="passkey-add-form" method="post" action="/profile/passkeys/add">
            <Csrf token={ctx.csrf} />
            <Field t={t} name="code" label={codeLabel} inputMode="numeric" autocomplete="one-time-code" maxLength={12} errors={error ? fieldErrors : undefined} />
            <Button id="passkey-add">{t('passkey.add')}</Button>
          </form>
        </Card>
      )}
      {passkeys.length > 0 && (
        <Card as="div" level={3} title={t('passkey.remove')}>
          {/* Removing needs the same fresh second step as adding (re-authentication first). */}
          <form id="passkey-remove-form" method="post" action="/profile/passkeys/remove">
            <Csrf token={ctx.csrf} />
            <div class="field">
              <label for="f-passkey-id">{t('passkey.label')}</label>
              <select id="f-passkey-id" name="id" required>
                {passkeys.map((p) => <option value={p.id}>{`${passkeyName(ctx, p)} (${formatDateTime(p.createdAt, lang)})`}</option>)}
              </select>
            </div>
            <Field t={t} name="removeCode" label={codeLabel} inputMode="numeric" autocomplete="one-time-code" maxLength={12} errors={error ? fieldErrors : undefined} />
            <Button id="passkey-remove" variant="danger">{t('passkey.remove')}</Button>
          </form>
        </Card>
      )}
    </section>
  );
}
