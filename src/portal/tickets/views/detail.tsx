// One ticket (S9): facts, the conversation (customer and provider messages, attachments as
// download links), a reply form, close / reopen.
import type { FieldErrors } from '../../../errors.ts';
import { Layout, type PageCtx } from '../../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../../web/views/form.tsx';
import { Button, Card, PageHeader } from '../../../web/views/components.ts';
import { PortalNav, When } from '../../views/ops-parts.tsx';
import { MAX_BODY, type TicketDetail } from '../service.ts';
import { AttachmentInput } from './forms.tsx';
import { categoryLabel, ServiceCell, statusLabel } from './list.tsx';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function TicketPage({ ctx, ticket: k, notice, error, errors, reply }: {
  ctx: PageCtx; ticket: TicketDetail; notice?: string | null | undefined; error?: FormError | null | undefined; errors?: FieldErrors | undefined; reply?: string | undefined;
}) {
  const { t, lang } = ctx;
  const closed = k.status === 'closed';
  const bodyBad = !!errors?.body?.length;
  return (
    <Layout ctx={ctx} title={`${k.subject} (${k.number})`} wide>
      <PortalNav t={t} current="tickets" />
      <PageHeader title={k.subject} />
      {notice && <Notice><p>{notice}</p></Notice>}
      <ErrorSummary t={t} error={error} />
      <dl class="facts">
        <dt>{t('tickets.number')}</dt><dd>{k.number}</dd>
        <dt>{t('tickets.status_label')}</dt><dd><span class={`badge ticket-${k.status}`}>{statusLabel(t, k.status)}</span></dd>
        <dt>{t('tickets.category_label')}</dt><dd>{categoryLabel(t, k.category)}</dd>
        <dt>{t('ops.service')}</dt><dd><ServiceCell t={t} lang={lang} s={k} /></dd>
        <dt>{t('tickets.created')}</dt><dd><When ms={k.createdAt} lang={lang} /></dd>
      </dl>
      <section aria-labelledby="conv-h">
        <h2 id="conv-h">{t('tickets.conversation')}</h2>
        <ol class="conversation">
          {k.messages.map((m) => (
            <li class={`message ${m.side}`}>
              <article aria-label={`${m.side === 'provider' ? t('tickets.from_provider') : t('tickets.from_customer')}: ${m.authorName}`}>
                <header>
                  <strong>{m.authorName}</strong> <span class="badge side">{m.side === 'provider' ? t('tickets.from_provider') : t('tickets.from_customer')}</span>{' '}
                  <When ms={m.createdAt} lang={lang} />
                </header>
                <p class="pre">{m.body}</p>
                {m.attachments.length > 0 && (
                  <ul class="attachments" aria-label={t('tickets.attachments')}>
                    {m.attachments.map((a) => (
                      <li><a href={`/portal/tickets/${k.id}/attachments/${a.id}`} download={a.filename}>{a.filename}</a> <span class="muted">({size(a.size)})</span></li>
                    ))}
                  </ul>
                )}
              </article>
            </li>
          ))}
        </ol>
      </section>
      {closed ? (
        <Card title={t('tickets.closed_title')} labelledBy="reopen-h">
          <p>{t('tickets.closed_hint')}</p>
          <form method="post" action={`/portal/tickets/${k.id}/reopen`}>
            <Csrf token={ctx.csrf} />
            <Button>{t('tickets.reopen')}</Button>
          </form>
        </Card>
      ) : (
        <>
          <Card title={t('tickets.reply')} labelledBy="reply-h">
            <form method="post" action={`/portal/tickets/${k.id}/replies`} enctype="multipart/form-data" novalidate>
              <Csrf token={ctx.csrf} />
              <div class={bodyBad ? 'field invalid' : 'field'}>
                <label for="f-body">{t('tickets.body')}<span class="req"> ({t('common.required')})</span></label>
                <textarea id="f-body" name="body" rows={6} required maxLength={MAX_BODY} aria-invalid={bodyBad ? 'true' : undefined}
                  aria-describedby={bodyBad ? 'f-body-err' : undefined}>{reply ?? ''}</textarea>
                {bodyBad && <p class="field-error" id="f-body-err">{errors!.body!.map((e) => <span>{t(e.key, e.params)}</span>)}</p>}
              </div>
              <AttachmentInput t={t} errors={errors} />
              <Button variant="primary">{t('tickets.send_reply')}</Button>
            </form>
          </Card>
          <form method="post" action={`/portal/tickets/${k.id}/close`} class="inline-action">
            <Csrf token={ctx.csrf} />
            <Button>{t('tickets.close')}</Button>
          </form>
        </>
      )}
      <p><a href="/portal/tickets">{t('tickets.back')}</a></p>
    </Layout>
  );
}
