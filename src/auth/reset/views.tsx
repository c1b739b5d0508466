// S4 reset request pages. Our own stylesheet and script only (item 26: no third-party resources);
// the layout adds <meta name="referrer" content="no-referrer"> beside the global header.
import type { FieldErrors } from '../../errors.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { Button, ButtonLink, Card, PageHeader } from '../../web/views/components.ts';
import { profileFor } from '../tenancy/presets.ts';

export type ResetValues = Partial<Record<'loginId' | 'email' | 'name' | 'phone', string>>;

export function ResetRequestPage({ ctx, values, error, fieldErrors }: { ctx: PageCtx; values?: ResetValues; error?: FormError | null; fieldErrors?: FieldErrors }) {
  const { t } = ctx;
  // The form asks the fields of the profile whose page this is (?portal=, decision 011): the SDPF
  // page login ID + e-mail (seed 004), the default page all four. The service matches each user on
  // their own profile's fields, so an answer to a field their profile does not ask is ignored.
  const asks = new Set(profileFor(ctx.portal.id).identity.reset);
  const v = values ?? {};
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <PageHeader title={t('reset.title')} lead={t('reset.intro')} />
      <ErrorSummary t={t} error={error} />
      <Card as="div">
        <form method="post" action={`/password/reset${ctx.portal.query}`} novalidate>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="loginId" label={t('identity.login_id')} value={v.loginId ?? ''} required maxLength={254} errors={fieldErrors}
            hint={t('identity.login_id_hint')} autoFocus autocomplete="username" spellcheck={false} autocapitalize="none" />
          <Field t={t} name="email" type="email" label={t('identity.email')} value={v.email ?? ''} required maxLength={254} errors={fieldErrors}
            hint={t('identity.email_hint')} autocomplete="email" />
          {asks.has('name') && <Field t={t} name="name" label={t('identity.name')} value={v.name ?? ''} required maxLength={254} errors={fieldErrors}
            hint={t('identity.name_hint')} autocomplete="name" />}
          {asks.has('phone') && <Field t={t} name="phone" type="tel" label={t('identity.phone')} value={v.phone ?? ''} required maxLength={254} errors={fieldErrors}
            hint={t('identity.phone_hint')} inputMode="numeric" autocomplete="tel" />}
          <Button variant="primary">{t('reset.submit')}</Button>
        </form>
      </Card>
      <p class="aside"><a href={`/login${ctx.portal.query}`}>{t('reset.back_to_login')}</a></p>
    </Layout>
  );
}

/** The one answer to every request, matched or not (S4, item 24): it echoes nothing typed. */
export function ResetRequestedPage({ ctx, minutes }: { ctx: PageCtx; minutes: number }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.requested_title')}>
      <PageHeader title={t('reset.requested_title')} />
      <Notice><p>{t('reset.requested_body', { minutes })}</p></Notice>
      <p>{t('reset.no_mail_hint')}</p>
      <p><ButtonLink href={`/login${ctx.portal.query}`}>{t('reset.back_to_login')}</ButtonLink></p>
    </Layout>
  );
}
