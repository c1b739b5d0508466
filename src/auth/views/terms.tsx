import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, type FormError } from '../../web/views/form.tsx';
import type { TermsVersion } from '../terms/service.ts';
import type { GuideStep } from '../first-login/guide.ts';
import { GuideIndicator } from '../first-login/step-indicator.tsx';
import { Button, Card, PageHeader } from '../../web/views/components.ts';

/** `guide`: the first login's steps when this is its last one (a version published later shows none). */
export function TermsPage({ ctx, terms, error, returnTo, guide }: { ctx: PageCtx; terms: TermsVersion; error?: FormError | null; returnTo?: string; guide?: GuideStep[] | null }) {
  const { t, lang } = ctx;
  // {portal} in a published title or body is the reader's portal name (the default terms use it).
  const portal = (s: string) => s.replaceAll('{portal}', t('app.name'));
  const title = portal(lang === 'ja' ? terms.title_ja : terms.title_en);
  const body = portal(lang === 'ja' ? terms.body_ja : terms.body_en);
  return (
    <Layout ctx={ctx} title={t('terms.title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('terms.title')} lead={t('terms.intro')} />
      <ErrorSummary t={t} error={error} />
      <article class="terms" tabIndex={0} aria-labelledby="terms-h">
        <h2 id="terms-h">{title}</h2>
        <p class="hint">{t('terms.version', { version: terms.version, at: formatDateTime(terms.published_at, lang) })}</p>
        {body.split(/\n{2,}/).map((para) => <p>{para}</p>)}
      </article>
      <Card as="div">
        <form method="post" action="/terms" novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <input type="hidden" name="versionId" value={terms.id} />
          {returnTo && returnTo !== '/' && <input type="hidden" name="return_to" value={returnTo} />}
          <div class={error ? 'check invalid' : 'check'}>
            <input type="checkbox" id="f-accept" name="accept" value="1" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'f-accept-err' : undefined} />
            <label for="f-accept">{t('terms.accept_label')}</label>
          </div>
          {error && <p class="field-error" id="f-accept-err"><span>{t(error.key)}</span></p>}
          <Button variant="primary">{t('terms.accept')}</Button>
        </form>
      </Card>
    </Layout>
  );
}
