// One ticket (S9): facts, the conversation (customer and provider messages, attachments as
// download links), a reply form, close / reopen.
import type { FieldErrors } from '../../../errors.ts';
import { Layout, type PageCtx } from '../../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../../web/views/form.tsx';
import { Button, Card, PageHeader } from '../../../web/views/components.ts';
import { PortalNav, When } from '../../views/ops-parts.tsx';
import { MAX_BODY, MAX_RATING_COMMENT, type TicketDetail } from '../service.ts';
import { AttachmentInput, CcSelect, targetText } from './forms.tsx';
import { categoryLabel, ServiceCell, statusLabel } from './list.tsx';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function TicketPage({ ctx, ticket: k, notice, error, errors, reply, colleagues = [] }: {
  ctx: PageCtx; ticket: TicketDetail; notice?: string | null | undefined; error?: FormError | null | undefined; errors?: FieldErrors | undefined; reply?: string | undefined;
  /** Issue 24: who may still be put in copy. */
  colleagues?: { id: string; name: string }[];
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
        <dt>{t('tickets.severity_label')}</dt><dd>{t(`tickets.severity.${k.severity}`)}</dd>
        <dt>{t('tickets.response_target')}</dt><dd>{t('tickets.response_within', { time: targetText(t, k.responseTargetMinutes) })}</dd>
        {k.notice && <><dt>{t('tickets.notice_label')}</dt><dd><a href={`/portal/notices/${k.notice.id}`}>{lang === 'en' ? k.notice.titleEn : k.notice.title}</a></dd></>}
        {k.rating && <><dt>{t('tickets.rating_label')}</dt><dd>{t('tickets.rating_given', { score: k.rating.score })}{k.rating.comment ? ` — ${k.rating.comment}` : ''}</dd></>}
      </dl>
      <section aria-labelledby="people-h">
        <h2 id="people-h">{t('tickets.participants')}</h2>
        <ul class="participants">
          {k.participants.map((p) => (
            <li>
              {p.name}{p.author ? ` (${t('tickets.author')})` : ''}
              {!p.author && (
                <form method="post" action={`/portal/tickets/${k.id}/cc/${p.id}/remove`} class="inline-action">
                  <Csrf token={ctx.csrf} />
                  <Button small aria-label={t('tickets.remove_cc', { name: p.name })}>{t('tickets.remove_from_cc')}</Button>
                </form>
              )}
            </li>
          ))}
        </ul>
        {k.participants.length === 1 && <p class="muted">{t('tickets.cc_none')}</p>}
        {colleagues.length > 0 && (
          <form method="post" action={`/portal/tickets/${k.id}/cc`} novalidate>
            <Csrf token={ctx.csrf} />
            <CcSelect t={t} colleagues={colleagues} chosen={[]} errors={errors} />
            <Button>{t('tickets.add_cc')}</Button>
          </form>
        )}
      </section>
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
          <Card title={t('tickets.close')} labelledBy="close-h">
            <form method="post" action={`/portal/tickets/${k.id}/close`} novalidate>
              <Csrf token={ctx.csrf} />
              <fieldset class={errors?.rating?.length ? 'field invalid' : 'field'}>
                <legend>{t('tickets.rating_label')}</legend>
                <div class="choices">
                  <label><input type="radio" name="rating" value="" checked /> {t('tickets.rating_none')}</label>
                  {[1, 2, 3, 4, 5].map((n) => <label><input type="radio" name="rating" value={String(n)} /> {n}</label>)}
                </div>
                {errors?.rating?.length ? <p class="field-error" id="f-rating-err">{errors.rating.map((e) => <span>{t(e.key, e.params)}</span>)}</p> : null}
              </fieldset>
              <div class="field">
                <label for="f-ratingComment">{t('tickets.rating_comment')}</label>
                <textarea id="f-ratingComment" name="ratingComment" rows={3} maxLength={MAX_RATING_COMMENT} />
              </div>
              <Button>{t('tickets.close')}</Button>
            </form>
          </Card>
        </>
      )}
      <p><a href="/portal/tickets">{t('tickets.back')}</a></p>
    </Layout>
  );
}
