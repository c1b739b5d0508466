import type { FieldErrors } from '../../errors.ts';
import { Layout, helpHref, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { Button, Card, PageHeader } from '../../web/views/components.ts';
import { PasskeySignin, passkeyScripts } from './passkeys.tsx';

/** `flowId`: the login flow this page was opened with (GET /login); the form posts its credentials step. */
/** `passkeyOptions` (issue 23): the passwordless sign-in's options when some organisation offers it; `matrixLink` (issue 22). */
export function LoginPage({ ctx, error, fieldErrors, loginId, notice, flowId, passkeyOptions, matrixLink }: { ctx: PageCtx; error?: FormError | null; fieldErrors?: FieldErrors; loginId?: string; notice?: string | null; flowId?: string; passkeyOptions?: string | null; matrixLink?: boolean }) {
  const { t } = ctx;
  const passkeys = Boolean(flowId && passkeyOptions);
  return (
    <Layout ctx={ctx} title={t('login.title')} scripts={passkeys ? passkeyScripts : undefined}>
      <PageHeader title={t('login.heading')} />
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <Card as="div">
        {/* ?portal= stays on the action, so a refused login is shown on the same profile's page. */}
        <form method="post" action={`${flowId ? `/auth/flows/${flowId}/credentials` : '/login'}${ctx.portal.query}`} novalidate>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="loginId" label={t('login.login_id')} value={loginId ?? ''} autocomplete={passkeys ? 'username webauthn' : 'username'} required maxLength={254} errors={fieldErrors}
            autoFocus={!loginId} spellcheck={false} autocapitalize="none" />
          <Field t={t} name="password" type="password" label={t('login.password')} autocomplete="current-password" required maxLength={1024} errors={fieldErrors}
            autoFocus={!!loginId} />
          <Button variant="primary">{t('login.submit')}</Button>
        </form>
      </Card>
      {passkeys && <PasskeySignin ctx={ctx} flowId={flowId!} options={passkeyOptions!} />}
      {/* Issue 22: where an organisation uses the matrix password, its users start here too. */}
      {matrixLink && <p class="aside"><a href={`/login/matrix${ctx.portal.query}`}>{t('matrix.login_link')}</a></p>}
      <p class="aside"><a href={`/password/reset${ctx.portal.query}`}>{t('login.forgot')}</a></p>
      <p class="aside"><a href={helpHref(ctx)}>{t('login.help')}</a></p>
    </Layout>
  );
}
