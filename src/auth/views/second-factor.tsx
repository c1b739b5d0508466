import type { SecondFactor } from '../../db/schema.ts';
import { Layout, helpHref, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import type { GuideStep } from '../first-login/guide.ts';
import { GuideIndicator } from '../first-login/step-indicator.tsx';

const codeInput = { inputMode: 'numeric' as const, autocomplete: 'one-time-code', pattern: '[0-9 ]*', maxLength: 12, required: true };

function TrustBox({ ctx, show }: { ctx: PageCtx; show: boolean }) {
  if (!show) return null;
  return (
    <div class="check">
      <input type="checkbox" id="f-trust" name="trust" value="1" />
      <label for="f-trust">{ctx.t('mfa.trust_browser')}</label>
    </div>
  );
}

export function MethodChoicePage({ ctx, flowId, methods, error, guide }: { ctx: PageCtx; flowId: string; methods: SecondFactor[]; error?: FormError | null; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.select.title')}>
      <GuideIndicator t={t} steps={guide} />
      <h1>{t('mfa.select.title')}</h1>
      <p>{t('mfa.select.intro')}</p>
      <p class="hint"><a href={helpHref(ctx, 'faq')}>{t('mfa.select.help')}</a></p>
      <ErrorSummary t={t} error={error} />
      <form method="post" action={`/auth/flows/${flowId}/method`} class="card" data-busy={t('guide.sending')}>
        <Csrf token={ctx.csrf} />
        <fieldset>
          <legend>{t('mfa.select.title')}</legend>
          {/* Seed 004 «選択必須»: nothing is pre-selected; the person chooses. */}
          {methods.map((m) => (
            <div class="choice">
              <input type="radio" name="method" id={`m-${m}`} value={m} required aria-describedby={`m-${m}-hint`} />
              <label for={`m-${m}`}>{t(m === 'totp' ? 'mfa.select.totp' : 'mfa.select.mail_otp')}</label>
              <p class="hint" id={`m-${m}-hint`}>{t(m === 'totp' ? 'mfa.select.totp_hint' : 'mfa.select.mail_otp_hint')}</p>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="primary">{t('common.continue')}</button>
      </form>
    </Layout>
  );
}

export function TotpSetupPage({ ctx, flowId, qrSvg, key, uri, error, guide }: { ctx: PageCtx; flowId: string; qrSvg: string; key: string; uri: string; error?: FormError | null; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.totp_setup.title')}>
      <GuideIndicator t={t} steps={guide} />
      <h1>{t('mfa.totp_setup.title')}</h1>
      <ErrorSummary t={t} error={error} />
      <ol class="steps">
        <li>{t('mfa.totp_setup.step1')} <a href={helpHref(ctx, 'authenticator', 'install')}>{t('mfa.totp_setup.install_help')}</a></li>
        <li>
          {t('mfa.totp_setup.step2')}
          {/* SVG from the qrcode package (no script); inlined so no external or data: image is needed. */}
          <div class="qr" role="img" aria-label={t('mfa.totp_setup.qr_alt')} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p class="hint">{t('mfa.totp_setup.manual')}</p>
          <p class="key-row">
            <code class="key" id="totp-key">{key}</code>
            {/* Shown by app.js where the clipboard can be written; copies the key without its spaces. */}
            <button type="button" class="button secondary" data-copy="totp-key" data-copy-compact="true" data-copied={t('guide.copied')} hidden>{t('guide.copy_key')}</button>
          </p>
          <p class="hint"><a href={uri} id="totp-uri">{t('mfa.totp_setup.open_app')}</a></p>
        </li>
        <li>{t('mfa.totp_setup.step3')}</li>
      </ol>
      <form method="post" action={`/auth/flows/${flowId}/totp-setup`} class="card" novalidate data-busy={t('guide.sending')}>
        <Csrf token={ctx.csrf} />
        <Field t={t} name="code" label={t('mfa.code')} {...codeInput} errors={error ? { code: [{ key: error.key, params: error.params }] } : undefined} />
        <button type="submit" class="primary">{t('mfa.totp_setup.submit')}</button>
      </form>
    </Layout>
  );
}

export function BackupCodesPage({ ctx, action, codes, downloadHref, continueLabel, guide }: { ctx: PageCtx; action: string; codes: string[]; downloadHref: string; continueLabel?: string; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.backup_codes.title')}>
      <GuideIndicator t={t} steps={guide} />
      <h1>{t('mfa.backup_codes.title')}</h1>
      <p>{t('mfa.backup_codes.intro')}</p>
      <ul class="codes" id="backup-codes" aria-label={t('mfa.backup.label')}>
        {codes.map((c) => <li><code>{c}</code></li>)}
      </ul>
      <p class="actions">
        <a class="button" href={downloadHref} download="backup-codes.txt">{t('mfa.backup_codes.download')}</a>
        <button type="button" class="button" data-copy="backup-codes" data-copied={t('mfa.backup_codes.copied')} hidden>{t('mfa.backup_codes.copy')}</button>
      </p>
      <form method="post" action={action} data-busy={t('guide.sending')}>
        <Csrf token={ctx.csrf} />
        <button type="submit" class="primary">{continueLabel ?? t('mfa.backup_codes.ack')}</button>
      </form>
    </Layout>
  );
}

export function TotpPage({ ctx, flowId, error, allowTrust, errorFor, guide }: { ctx: PageCtx; flowId: string; error?: FormError | null; allowTrust: boolean; errorFor?: 'backup' | undefined; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.totp.title')}>
      <GuideIndicator t={t} steps={guide} />
      <h1>{t('mfa.totp.title')}</h1>
      <p>{t('mfa.totp.intro')}</p>
      <ErrorSummary t={t} error={error} />
      <form method="post" action={`/auth/flows/${flowId}/totp`} class="card" novalidate data-busy={t('guide.sending')}>
        <Csrf token={ctx.csrf} />
        <Field t={t} name="code" label={t('mfa.code')} {...codeInput} autoFocus={errorFor !== 'backup'} errors={error && errorFor !== 'backup' ? { code: [{ key: error.key, params: error.params }] } : undefined} />
        <TrustBox ctx={ctx} show={allowTrust} />
        <button type="submit" class="primary">{t('common.continue')}</button>
      </form>
      <details class="backup" open={errorFor === 'backup'}>
        <summary>{t('mfa.totp.use_backup')}</summary>
        <form method="post" action={`/auth/flows/${flowId}/backup-code`} class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="backupCode" label={t('mfa.backup.label')} autocomplete="off" spellcheck={false} required maxLength={40}
            autoFocus={errorFor === 'backup'} errors={error && errorFor === 'backup' ? { backupCode: [{ key: error.key, params: error.params }] } : undefined} />
          <button type="submit">{t('common.continue')}</button>
        </form>
      </details>
    </Layout>
  );
}

export function MailOtpPage({ ctx, flowId, masked, error, notice, allowTrust, guide }: { ctx: PageCtx; flowId: string; masked: string; error?: FormError | null; notice?: string | null; allowTrust: boolean; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.mail_otp.title')}>
      <GuideIndicator t={t} steps={guide} />
      <h1>{t('mfa.mail_otp.title')}</h1>
      <p>{t('mfa.mail_otp.intro', { email: masked })}</p>
      {/* Information (a code sent, the resend cooldown) is a notice; only a refused code marks the field. */}
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <form method="post" action={`/auth/flows/${flowId}/mail-otp`} class="card" novalidate data-busy={t('guide.sending')}>
        <Csrf token={ctx.csrf} />
        <Field t={t} name="code" label={t('mfa.mail_otp.code')} {...codeInput} autoFocus errors={error ? { code: [{ key: error.key, params: error.params }] } : undefined} />
        <TrustBox ctx={ctx} show={allowTrust} />
        <button type="submit" class="primary">{t('mfa.mail_otp.submit')}</button>
      </form>
      <form method="post" action={`/auth/flows/${flowId}/mail-otp/resend`} class="inline">
        <Csrf token={ctx.csrf} />
        <button type="submit" class="link">{t('mfa.mail_otp.resend')}</button>
      </form>
      <p class="hint skip">{t('mfa.mail_otp.skip_hint')} <a href={helpHref(ctx, 'trusted-networks')}>{t('mfa.mail_otp.skip_link')}</a></p>
    </Layout>
  );
}
