import type { SecondFactor } from '../../db/schema.ts';
import { Layout, helpHref, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import type { GuideStep } from '../first-login/guide.ts';
import { GuideIndicator } from '../first-login/step-indicator.tsx';
import { Button, ButtonLink, Card, PageHeader } from '../../web/views/components.ts';
import type { PasskeySetupOffer as PasskeySetupOfferKind } from '../passkeys/setup-steps.ts';
import { PasskeySetupOffer, passkeyScripts } from './passkeys.tsx';

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

export function MethodChoicePage({ ctx, flowId, methods, error, guide, passkey = null }: { ctx: PageCtx; flowId: string; methods: SecondFactor[]; error?: FormError | null; guide?: GuideStep[] | null; passkey?: PasskeySetupOfferKind }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.select.title')} scripts={passkey === 'offer' ? passkeyScripts : undefined}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('mfa.select.title')} lead={t('mfa.select.intro')} />
      <p class="hint"><a href={helpHref(ctx, 'faq')}>{t('mfa.select.help')}</a></p>
      <ErrorSummary t={t} error={error} />
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/method`} data-busy={t('guide.sending')}>
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
          <Button variant="primary">{t('common.continue')}</Button>
        </form>
      </Card>
      <PasskeySetupOffer ctx={ctx} flowId={flowId} offer={passkey} />
    </Layout>
  );
}

export function TotpSetupPage({ ctx, flowId, qrSvg, key, uri, error, guide, passkey = null }: { ctx: PageCtx; flowId: string; qrSvg: string; key: string; uri: string; error?: FormError | null; guide?: GuideStep[] | null; passkey?: PasskeySetupOfferKind }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.totp_setup.title')} scripts={passkey === 'offer' ? passkeyScripts : undefined}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('mfa.totp_setup.title')} />
      <ErrorSummary t={t} error={error} />
      {passkey === 'held' && <PasskeySetupOffer ctx={ctx} flowId={flowId} offer={passkey} />}
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
            <Button type="button" data-copy="totp-key" data-copy-compact="true" data-copied={t('guide.copied')} hidden>{t('guide.copy_key')}</Button>
          </p>
          <p class="hint"><a href={uri} id="totp-uri">{t('mfa.totp_setup.open_app')}</a></p>
        </li>
        <li>{t('mfa.totp_setup.step3')}</li>
      </ol>
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/totp-setup`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="code" label={t('mfa.code')} {...codeInput} errors={error ? { code: [{ key: error.key, params: error.params }] } : undefined} />
          <Button variant="primary">{t('mfa.totp_setup.submit')}</Button>
        </form>
      </Card>
      {passkey === 'offer' && <PasskeySetupOffer ctx={ctx} flowId={flowId} offer={passkey} />}
    </Layout>
  );
}

export function BackupCodesPage({ ctx, action, codes, downloadHref, continueLabel, guide }: { ctx: PageCtx; action: string; codes: string[]; downloadHref: string; continueLabel?: string; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.backup_codes.title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('mfa.backup_codes.title')} lead={t('mfa.backup_codes.intro')} />
      <ul class="codes" id="backup-codes" aria-label={t('mfa.backup.label')}>
        {codes.map((c) => <li><code>{c}</code></li>)}
      </ul>
      <p class="actions">
        <ButtonLink href={downloadHref} download="backup-codes.txt">{t('mfa.backup_codes.download')}</ButtonLink>
        <Button type="button" data-copy="backup-codes" data-copied={t('mfa.backup_codes.copied')} hidden>{t('mfa.backup_codes.copy')}</Button>
      </p>
      <form method="post" action={action} data-busy={t('guide.sending')}>
        <Csrf token={ctx.csrf} />
        <Button variant="primary">{continueLabel ?? t('mfa.backup_codes.ack')}</Button>
      </form>
    </Layout>
  );
}

export function TotpPage({ ctx, flowId, error, allowTrust, errorFor, guide }: { ctx: PageCtx; flowId: string; error?: FormError | null; allowTrust: boolean; errorFor?: 'backup' | undefined; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.totp.title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('mfa.totp.title')} lead={t('mfa.totp.intro')} />
      <ErrorSummary t={t} error={error} />
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/totp`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="code" label={t('mfa.code')} {...codeInput} autoFocus={errorFor !== 'backup'} errors={error && errorFor !== 'backup' ? { code: [{ key: error.key, params: error.params }] } : undefined} />
          <TrustBox ctx={ctx} show={allowTrust} />
          <Button variant="primary">{t('common.continue')}</Button>
        </form>
      </Card>
      <details class="backup" open={errorFor === 'backup'}>
        <summary>{t('mfa.totp.use_backup')}</summary>
        <Card as="div">
          <form method="post" action={`/auth/flows/${flowId}/backup-code`} novalidate>
            <Csrf token={ctx.csrf} />
            <Field t={t} name="backupCode" label={t('mfa.backup.label')} autocomplete="off" spellcheck={false} required maxLength={40}
              autoFocus={errorFor === 'backup'} errors={error && errorFor === 'backup' ? { backupCode: [{ key: error.key, params: error.params }] } : undefined} />
            <Button>{t('common.continue')}</Button>
          </form>
        </Card>
      </details>
    </Layout>
  );
}

export function MailOtpPage({ ctx, flowId, masked, error, notice, allowTrust, guide }: { ctx: PageCtx; flowId: string; masked: string; error?: FormError | null; notice?: string | null; allowTrust: boolean; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mfa.mail_otp.title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('mfa.mail_otp.title')} lead={t('mfa.mail_otp.intro', { email: masked })} />
      {/* Information (a code sent, the resend cooldown) is a notice; only a refused code marks the field. */}
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/mail-otp`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="code" label={t('mfa.mail_otp.code')} {...codeInput} autoFocus errors={error ? { code: [{ key: error.key, params: error.params }] } : undefined} />
          <TrustBox ctx={ctx} show={allowTrust} />
          <Button variant="primary">{t('mfa.mail_otp.submit')}</Button>
        </form>
      </Card>
      <form method="post" action={`/auth/flows/${flowId}/mail-otp/resend`} class="inline">
        <Csrf token={ctx.csrf} />
        <Button class="link">{t('mfa.mail_otp.resend')}</Button>
      </form>
      <p class="hint skip">{t('mfa.mail_otp.skip_hint')} <a href={helpHref(ctx, 'trusted-networks')}>{t('mfa.mail_otp.skip_link')}</a></p>
    </Layout>
  );
}
