// The tickets inbox and one ticket in the console (issue 26 item 2). Every action carries, beside
// it, what the customer will see of it (CUSTOMER_VIEW in the provider service). Internal notes are
// marked in the conversation. Works without JavaScript; every field labelled, errors next to fields.
import type { OperatorRole, TicketStatus } from '../../db/schema.ts';
import type { FieldErrors } from '../../errors.ts';
import type { T } from '../../i18n/index.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Notice, type FormError } from '../../web/views/form.tsx';
import { When, ListPager } from '../../portal/views/ops-parts.tsx';
import {
  ANSWER_MODES, CUSTOMER_VIEW, INBOX_PAGE_SIZE, INBOX_STATUSES, SEVERITIES, type AnswerMode, type ConsoleAction, type ConsoleTicket, type InboxRow,
} from '../../portal/tickets/provider-service.ts';
import { Button, Card, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';

export interface InboxFilterValues { status?: string | undefined; org?: string | undefined; service?: string | undefined; severity?: string | undefined; assignee?: string | undefined; waiting?: string | undefined }
export interface Option { id: string; name: string }

/** The customer's own label of a status (what their ticket page shows). */
function customerStatus(t: T, s: TicketStatus): string {
  return t(`tickets.status.${s}`);
}

/** «What the customer sees» of an action, in words. */
export function CustomerSees({ t, action, id }: { t: T; action: ConsoleAction; id: string }) {
  const status = CUSTOMER_VIEW[action].status;
  return <p class="hint customer-sees" id={id}>{t(`console.tickets.sees.${action}`, status ? { status: customerStatus(t, status) } : {})}</p>;
}

function FieldError({ t, errors, name, id }: { t: T; errors?: FieldErrors | undefined; name: string; id: string }) {
  const errs = errors?.[name] ?? [];
  return errs.length ? <p class="field-error" id={id}>{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p> : null;
}

export function InboxPage({ ctx, role, tickets, total, page, filter, orgs, services, operators, errors }: {
  ctx: PageCtx; role: OperatorRole; tickets: InboxRow[]; total: number; page: number; filter: InboxFilterValues;
  orgs: Option[]; services: Option[]; operators: Option[]; errors?: FieldErrors | undefined;
}) {
  const { t, lang } = ctx;
  const waitingBad = !!errors?.waiting?.length;
  return (
    <OperatorPage ctx={ctx} role={role} current="tickets" title={t('console.tickets.title')}>
      <form method="get" action="/operator/tickets" class="filters" role="search" aria-label={t('console.tickets.filters')}>
        <div class="field">
          <label for="f-status">{t('console.tickets.status')}</label>
          <select id="f-status" name="status">
            {INBOX_STATUSES.map((s) => <option value={s} selected={(filter.status ?? 'waiting') === s}>{t(`console.tickets.status.${s}`)}</option>)}
            <option value="all" selected={filter.status === 'all'}>{t('console.tickets.status.all')}</option>
          </select>
        </div>
        <div class="field">
          <label for="f-org">{t('console.tickets.organisation')}</label>
          <select id="f-org" name="org">
            <option value="">{t('console.tickets.any')}</option>
            {orgs.map((o) => <option value={o.id} selected={filter.org === o.id}>{o.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-service">{t('console.tickets.service')}</label>
          <select id="f-service" name="service">
            <option value="">{t('console.tickets.any')}</option>
            {services.map((s) => <option value={s.id} selected={filter.service === s.id}>{s.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-severity">{t('console.tickets.severity')}</label>
          <select id="f-severity" name="severity">
            <option value="">{t('console.tickets.any')}</option>
            {SEVERITIES.map((s) => <option value={s} selected={filter.severity === s}>{t(`console.tickets.severity.${s}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-assignee">{t('console.tickets.assignee')}</label>
          <select id="f-assignee" name="assignee">
            <option value="">{t('console.tickets.any')}</option>
            <option value="me" selected={filter.assignee === 'me'}>{t('console.tickets.assignee.me')}</option>
            <option value="none" selected={filter.assignee === 'none'}>{t('console.tickets.assignee.none')}</option>
            {operators.map((o) => <option value={o.id} selected={filter.assignee === o.id}>{o.name}</option>)}
          </select>
        </div>
        <div class={waitingBad ? 'field invalid' : 'field'}>
          <label for="f-waiting">{t('console.tickets.waiting')}</label>
          <input id="f-waiting" name="waiting" type="number" inputMode="numeric" min={1} max={9999} step={1} value={filter.waiting ?? ''}
            aria-describedby={waitingBad ? 'f-waiting-hint f-waiting-err' : 'f-waiting-hint'} aria-invalid={waitingBad ? 'true' : undefined} />
          <p class="hint" id="f-waiting-hint">{t('console.tickets.waiting_hint')}</p>
          <FieldError t={t} errors={errors} name="waiting" id="f-waiting-err" />
        </div>
        <Button>{t('console.tickets.apply')}</Button>
      </form>
      <p class="muted" role="status">{t('console.tickets.count', { n: total })}</p>
      {tickets.length === 0 ? <EmptyState heading={t('console.tickets.none')} /> : (
        <DataTable caption={t('console.tickets.title')} captionHidden class="list inbox" rows={tickets} columns={[
          { label: t('console.tickets.number'), cell: (k) => k.number },
          { label: t('console.tickets.subject'), rowHeader: true, cell: (k) => <a href={`/operator/tickets/${k.id}`}>{k.subject}</a> },
          { label: t('console.tickets.organisation'), cell: (k) => k.organisation.name },
          { label: t('console.tickets.service'), cell: (k) => k.service ? (lang === 'en' ? k.service.nameEn : k.service.nameJa) : '—' },
          { label: t('console.tickets.severity'), cell: (k) => <span class={`badge severity-${k.severity}`}>{t(`console.tickets.severity.${k.severity}`)}</span> },
          { label: t('console.tickets.status'), cell: (k) => <span class={`badge ticket-${k.status}`}>{t(`console.tickets.status.${k.status}`)}</span> },
          { label: t('console.tickets.assignee'), cell: (k) => k.assignee ? k.assignee.name : <span class="muted">{t('console.tickets.assignee.none')}</span> },
          { label: t('console.tickets.since'), cell: (k) => <When ms={k.updatedAt} lang={lang} /> },
        ]} />
      )}
      <ListPager t={t} path="/operator/tickets" query={{ ...filter }} page={page} total={total} size={INBOX_PAGE_SIZE} />
    </OperatorPage>
  );
}

export interface TicketFormState { notice?: string | null; error?: FormError | null; errors?: FieldErrors; form?: 'answer' | 'note' | 'assign' | 'severity'; body?: string; mode?: AnswerMode }

export function ConsoleTicketPage({ ctx, role, me, ticket: k, operators, state = {} }: {
  ctx: PageCtx; role: OperatorRole; me: string; ticket: ConsoleTicket; operators: Option[]; state?: TicketFormState;
}) {
  const { t, lang } = ctx;
  const closed = k.status === 'closed';
  const errs = (form: TicketFormState['form']) => (state.form === form ? state.errors : undefined);
  const answerBad = !!errs('answer')?.body?.length;
  const noteBad = !!errs('note')?.body?.length;
  const assignBad = !!errs('assign')?.assignee?.length;
  const base = `/operator/tickets/${k.id}`;
  return (
    <OperatorPage ctx={ctx} role={role} current="tickets" title={`${k.subject} (${k.number})`}>
      {state.notice && <Notice><p>{state.notice}</p></Notice>}
      <ErrorSummary t={t} error={state.error} />
      <dl class="facts">
        <dt>{t('console.tickets.organisation')}</dt><dd>{k.organisation.name}</dd>
        <dt>{t('console.tickets.author')}</dt><dd>{k.author?.name ?? '—'}</dd>
        {k.cc.length > 0 && <><dt>{t('tickets.cc_label')}</dt><dd>{k.cc.join(', ')}</dd></>}
        {k.noticeId && <><dt>{t('tickets.notice_label')}</dt><dd><a href={`/operator/notices/${k.noticeId}`}>{k.noticeId}</a></dd></>}
        {k.rating && <><dt>{t('console.tickets.rating')}</dt><dd>{t('console.tickets.rating_value', { score: k.rating.score })}{k.rating.comment ? ` — ${k.rating.comment}` : ''}</dd></>}
        <dt>{t('console.tickets.status')}</dt>
        <dd><span class={`badge ticket-${k.status}`}>{t(`console.tickets.status.${k.status}`)}</span>{' '}
          <span class="muted">{t('console.tickets.customer_status')}: «{customerStatus(t, k.status)}»</span></dd>
        <dt>{t('console.tickets.severity')}</dt><dd><span class={`badge severity-${k.severity}`}>{t(`console.tickets.severity.${k.severity}`)}</span></dd>
        <dt>{t('console.tickets.assignee')}</dt><dd>{k.assignee?.name ?? t('console.tickets.assignee.none')}</dd>
        <dt>{t('console.tickets.service')}</dt><dd>{k.service ? (lang === 'en' ? k.service.nameEn : k.service.nameJa) : '—'}</dd>
        <dt>{t('console.tickets.contract')}</dt><dd>{k.contractNumber ?? '—'}</dd>
        <dt>{t('console.tickets.created')}</dt><dd><When ms={k.createdAt} lang={lang} /></dd>
        <dt>{t('console.tickets.since')}</dt><dd><When ms={k.updatedAt} lang={lang} /></dd>
      </dl>
      <section aria-labelledby="conv-h">
        <h2 id="conv-h">{t('console.tickets.conversation')}</h2>
        <ol class="conversation">
          {k.messages.map((m) => {
            const who = m.internal ? t('console.tickets.internal_note') : m.side === 'provider' ? t('console.tickets.from_provider') : t('console.tickets.from_customer');
            return (
              <li class={`message ${m.side}${m.internal ? ' internal' : ''}`}>
                <article aria-label={`${who}: ${m.authorName}`}>
                  <header>
                    <strong>{m.authorName}</strong> <span class={m.internal ? 'badge internal' : 'badge side'}>{who}</span>{' '}
                    <When ms={m.createdAt} lang={lang} />
                  </header>
                  <p class="pre">{m.body}</p>
                  {m.attachments.length > 0 && (
                    <ul class="attachments" aria-label={t('console.tickets.attachments')}>
                      {m.attachments.map((a) => <li><a href={`/operator/tickets/${k.id}/attachments/${a.id}`} download={a.filename}>{a.filename}</a></li>)}
                    </ul>
                  )}
                </article>
              </li>
            );
          })}
        </ol>
      </section>

      {closed ? (
        <Card labelledBy="reopen-h" title={t('console.tickets.reopen')}>
          <p>{t('console.tickets.closed_hint')}</p>
          <form method="post" action={`${base}/reopen`}>
            <Csrf token={ctx.csrf} />
            <CustomerSees t={t} action="reopen" id="sees-reopen" />
            <Button aria-describedby="sees-reopen">{t('console.tickets.reopen')}</Button>
          </form>
        </Card>
      ) : (
        <Card labelledBy="answer-h" title={t('console.tickets.answer')}>
          <form method="post" action={`${base}/replies`} novalidate>
            <Csrf token={ctx.csrf} />
            <div class={answerBad ? 'field invalid' : 'field'}>
              <label for="f-answer">{t('console.tickets.body')}<span class="req"> ({t('common.required')})</span></label>
              <textarea id="f-answer" name="body" rows={6} required maxLength={10_000} aria-invalid={answerBad ? 'true' : undefined}
                aria-describedby={answerBad ? 'f-answer-err' : undefined}>{state.form === 'answer' ? state.body ?? '' : ''}</textarea>
              <FieldError t={t} errors={errs('answer')} name="body" id="f-answer-err" />
            </div>
            <fieldset class="field">
              <legend>{t('console.tickets.mode')}</legend>
              {ANSWER_MODES.map((m) => (
                <div class="choice">
                  <input type="radio" id={`f-mode-${m}`} name="mode" value={m} checked={(state.form === 'answer' ? state.mode ?? 'reply' : 'reply') === m} aria-describedby={`sees-${m}`} />
                  <label for={`f-mode-${m}`}>{t(`console.tickets.mode.${m}`)}</label>
                  <CustomerSees t={t} action={m} id={`sees-${m}`} />
                </div>
              ))}
            </fieldset>
            <Button variant="primary">{t('console.tickets.send')}</Button>
          </form>
        </Card>
      )}

      <Card labelledBy="note-h" title={t('console.tickets.note')}>
        <form method="post" action={`${base}/notes`} novalidate>
          <Csrf token={ctx.csrf} />
          <div class={noteBad ? 'field invalid' : 'field'}>
            <label for="f-note">{t('console.tickets.note')}<span class="req"> ({t('common.required')})</span></label>
            <CustomerSees t={t} action="note" id="sees-note" />
            <textarea id="f-note" name="body" rows={3} required maxLength={10_000} aria-invalid={noteBad ? 'true' : undefined}
              aria-describedby={noteBad ? 'sees-note f-note-err' : 'sees-note'}>{state.form === 'note' ? state.body ?? '' : ''}</textarea>
            <FieldError t={t} errors={errs('note')} name="body" id="f-note-err" />
          </div>
          <Button>{t('console.tickets.add_note')}</Button>
        </form>
      </Card>

      <div class="console-side">
        <Card labelledBy="assign-h" title={t('console.tickets.assign')}>
          <CustomerSees t={t} action="assign" id="sees-assign" />
          {k.assignee?.id !== me && (
            <form method="post" action={`${base}/assign`} class="inline-action">
              <Csrf token={ctx.csrf} />
              <input type="hidden" name="assignee" value="me" />
              <Button>{t('console.tickets.assign_me')}</Button>
            </form>
          )}
          <form method="post" action={`${base}/assign`}>
            <Csrf token={ctx.csrf} />
            <div class={assignBad ? 'field invalid' : 'field'}>
              <label for="f-assignee-set">{t('console.tickets.assignee')}</label>
              <select id="f-assignee-set" name="assignee" aria-invalid={assignBad ? 'true' : undefined} aria-describedby={assignBad ? 'f-assignee-err' : undefined}>
                <option value="">{t('console.tickets.assignee.none')}</option>
                {operators.map((o) => <option value={o.id} selected={k.assignee?.id === o.id}>{o.name}</option>)}
              </select>
              <FieldError t={t} errors={errs('assign')} name="assignee" id="f-assignee-err" />
            </div>
            <Button>{t('console.tickets.assign')}</Button>
          </form>
        </Card>
        <Card labelledBy="severity-h" title={t('console.tickets.severity')}>
          <CustomerSees t={t} action="severity" id="sees-severity" />
          <form method="post" action={`${base}/severity`}>
            <Csrf token={ctx.csrf} />
            <div class="field">
              <label for="f-severity-set">{t('console.tickets.severity')}</label>
              <select id="f-severity-set" name="severity">
                {SEVERITIES.map((s) => <option value={s} selected={k.severity === s}>{t(`console.tickets.severity.${s}`)}</option>)}
              </select>
            </div>
            <Button>{t('console.tickets.set_severity')}</Button>
          </form>
        </Card>
        {!closed && (
          <Card labelledBy="close-h" title={t('console.tickets.close')}>
            <CustomerSees t={t} action="close" id="sees-close" />
            <form method="post" action={`${base}/close`}>
              <Csrf token={ctx.csrf} />
              <Button aria-describedby="sees-close">{t('console.tickets.close')}</Button>
            </form>
          </Card>
        )}
      </div>
      <p><a href="/operator/tickets">{t('console.tickets.back')}</a></p>
    </OperatorPage>
  );
}
