// Error pages (issue 20 item 8): a heading that says what happened (per status), what to do next,
// the brand's support contact (only the fields that are set), and the request id the logs carry.
import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n/index.ts';
import type { SupportContact } from '../brand.ts';
import { Layout, type PageCtx } from './layout.tsx';
import { PageHeader } from './page-header.tsx';
import { Alert } from './alert.tsx';
import { ButtonLink } from './button.tsx';

/** The statuses with their own heading and advice; any other 4xx reads as 400, 5xx as 500. */
export type ErrorStatus = 400 | 403 | 404 | 409 | 410 | 429 | 500 | 503;
const OWN: readonly ErrorStatus[] = [400, 403, 404, 409, 410, 429, 500, 503];

export function errorKind(status: number): ErrorStatus {
  if ((OWN as readonly number[]).includes(status)) return status as ErrorStatus;
  return status >= 500 ? 500 : 400;
}

function hasSupport(s: SupportContact | undefined): s is SupportContact {
  return !!s && !!(s.email || s.phone || s.url || s.hours);
}

/** The support contact as a definition list, or the fallback sentence when the brand has none. */
export function SupportBox({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const s = ctx.brand?.support;
  if (!hasSupport(s)) return <p class="support muted">{t('error.support_fallback')}</p>;
  const rows: [MessageKey, ComponentChildren][] = [];
  if (s.email) rows.push(['error.support_email', <a href={`mailto:${s.email}`}>{s.email}</a>]);
  if (s.phone) rows.push(['error.support_phone', <a href={`tel:${s.phone.replace(/[^0-9+]/g, '')}`}>{s.phone}</a>]);
  if (s.url && /^https?:\/\//i.test(s.url)) rows.push(['error.support_url', <a href={s.url}>{s.url}</a>]);
  if (s.hours) rows.push(['error.support_hours', s.hours]);
  return (
    <section class="card support" aria-labelledby="support-h">
      <h2 id="support-h">{t('error.support')}</h2>
      <dl class="facts">{rows.map(([k, v]) => <><dt>{t(k)}</dt><dd>{v}</dd></>)}</dl>
    </section>
  );
}

/**
 * Props: `status` (the HTTP status sent; default 500), `message` (the specific reason, e.g. the
 * DomainError's text), `fields` (names of refused fields of a 400).
 */
export function ErrorPage({ ctx, message, fields, status = 500 }: { ctx: PageCtx; message: string; fields?: string[] | undefined; status?: number }) {
  const { t } = ctx;
  const kind = errorKind(status);
  const title = t(`error.${kind}.title`);
  const next = t(`error.${kind}.next`);
  const home = ctx.user ? '/' : `/login${ctx.portal.query}`;
  return (
    <Layout ctx={ctx} title={title}>
      <div class="error-page">
        <p class="status">{t('error.status', { status })}</p>
        <PageHeader title={title} />
        <Alert kind="error">
          <p>{message}</p>
          {fields && fields.length > 0 && (
            <>
              <p class="sr">{t('error.fields')}</p>
              <ul>{fields.map((f) => <li><code>{f}</code></li>)}</ul>
            </>
          )}
        </Alert>
        <p>{next}</p>
        <p class="actions"><ButtonLink variant="primary" href={home}>{ctx.user ? t('error.home') : t('error.login')}</ButtonLink></p>
        <SupportBox ctx={ctx} />
        {ctx.requestId && (
          <p class="reference">
            {t('error.reference')}: <code>{ctx.requestId}</code>
            <br /><span class="hint">{t('error.reference_hint')}</span>
          </p>
        )}
      </div>
    </Layout>
  );
}
