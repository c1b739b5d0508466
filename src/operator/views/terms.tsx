// Console: terms versions (issue 26 item 5). A new version goes through a
// diff against the current one before it can be published: the form posts to /diff, which shows
// the line diff (rendered as elements, every text escaped by the renderer) and carries the exact
// texts it diffed, with the version it diffed against, to the publish button.
import type { FieldErrors } from '../../errors.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { OperatorRole } from '../../db/schema.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { diffChunks, type DiffLine } from '../../lib/line-diff.ts';
import type { TermsDiff, TermsInput, TermsVersion } from '../../auth/service.ts';
import { Alert, Button, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { TextArea } from './publish-parts.tsx';

/** One text's line diff: changed lines with three lines of context, the rest counted. */
export function LineDiff({ ctx, lines, label }: { ctx: PageCtx; lines: DiffLine[]; label: string }) {
  const { t } = ctx;
  return (
    <table class="line-diff">
      <caption>{label}</caption>
      <thead><tr><th scope="col">{t('console.terms.line_old')}</th><th scope="col">{t('console.terms.line_new')}</th><th scope="col">{t('console.terms.field_body')}</th></tr></thead>
      <tbody>
        {diffChunks(lines).map((c) => c.kind === 'skipped'
          ? <tr class="skipped"><td colSpan={3}>{t('console.terms.unchanged_lines', { count: c.count })}</td></tr>
          : c.lines.map((l) => (
            <tr class={`diff-${l.op}`}>
              <td class="no">{l.oldNo ?? ''}</td><td class="no">{l.newNo ?? ''}</td>
              <td class="text">{l.op === 'del' ? <del><span class="sr-only">{t('console.terms.removed')}: </span>{l.text}</del>
                : l.op === 'add' ? <ins><span class="sr-only">{t('console.terms.added')}: </span>{l.text}</ins> : l.text}</td>
            </tr>
          )))}
      </tbody>
    </table>
  );
}

function DiffView({ ctx, diff }: { ctx: PageCtx; diff: TermsDiff }) {
  const { t } = ctx;
  const parts = [
    [t('console.terms.field_title'), t('console.terms.lang_ja'), diff.title.ja], [t('console.terms.field_title'), t('console.terms.lang_en'), diff.title.en],
    [t('console.terms.field_body'), t('console.terms.lang_ja'), diff.body.ja], [t('console.terms.field_body'), t('console.terms.lang_en'), diff.body.en],
  ] as const;
  return (
    <>
      {!diff.changed && <Alert kind="warning"><p>{t('console.terms.diff_none')}</p></Alert>}
      {parts.filter(([, , lines]) => lines.some((l) => l.op !== 'same')).map(([field, lang, lines]) => <LineDiff ctx={ctx} lines={lines} label={`${field} (${lang})`} />)}
    </>
  );
}

export interface TermsPageProps {
  ctx: PageCtx; role: OperatorRole; versions: (TermsVersion & { acceptances: number })[]; values: TermsInput;
  error?: FormError | null; errors?: FieldErrors; done?: string | null;
}

function TermsForm({ ctx, values, errors }: { ctx: PageCtx; values: TermsInput; errors: FieldErrors }) {
  const { t } = ctx;
  return (
    <form method="post" action="/operator/terms/diff" class="console-form" noValidate>
      <Csrf token={ctx.csrf} />
      <Field t={t} name="titleJa" label={t('console.terms.title_ja')} value={values.titleJa} errors={errors} required maxLength={200} />
      <Field t={t} name="titleEn" label={t('console.terms.title_en')} value={values.titleEn} errors={errors} required maxLength={200} />
      <TextArea t={t} name="bodyJa" label={t('console.terms.body_ja')} value={values.bodyJa} errors={errors} required rows={12} />
      <TextArea t={t} name="bodyEn" label={t('console.terms.body_en')} value={values.bodyEn} errors={errors} required rows={12} />
      <p class="actions"><Button>{t('console.terms.show_diff')}</Button></p>
    </form>
  );
}

export function TermsListPage(p: TermsPageProps) {
  const { t, lang } = p.ctx;
  return (
    <OperatorPage ctx={p.ctx} role={p.role} current="terms" title={t('console.terms.title')}>
      {p.done && <Notice>{p.done}</Notice>}
      <section aria-labelledby="tv-h">
        <h2 id="tv-h">{t('console.terms.versions')}</h2>
        {p.versions.length === 0 ? <EmptyState level={3} heading={t('console.terms.none')} /> : (
          <DataTable caption={t('console.terms.versions')} captionHidden rows={p.versions} columns={[
            { label: t('console.terms.version'), rowHeader: true, cell: (v) => <a href={`/operator/terms/${v.id}`}>{v.version}</a> },
            { label: t('console.terms.title_ja'), cell: (v) => v.title_ja },
            { label: t('console.terms.title_en'), cell: (v) => v.title_en },
            { label: t('console.terms.published_at'), cell: (v) => formatDateTime(v.published_at, lang) },
            { label: t('console.terms.accepted_by'), numeric: true, cell: (v) => v.acceptances },
          ]} />
        )}
      </section>
      <section aria-labelledby="tn-h">
        <h2 id="tn-h">{t('console.terms.new')}</h2>
        <p class="hint">{t('console.terms.new_hint')}</p>
        <ErrorSummary t={t} error={p.error ?? null} />
        <TermsForm ctx={p.ctx} values={p.values} errors={p.errors ?? {}} />
      </section>
    </OperatorPage>
  );
}

/** The step before publishing: the diff, the texts as hidden fields, Publish and Edit again. */
export function TermsDiffPage({ ctx, role, values, diff, nextVersion, error }: { ctx: PageCtx; role: OperatorRole; values: TermsInput; diff: TermsDiff; nextVersion: number; error?: FormError | null }) {
  const { t } = ctx;
  const hidden = (
    <>
      <Csrf token={ctx.csrf} />
      <input type="hidden" name="titleJa" value={values.titleJa} /><input type="hidden" name="titleEn" value={values.titleEn} />
      <input type="hidden" name="bodyJa" value={values.bodyJa} /><input type="hidden" name="bodyEn" value={values.bodyEn} />
    </>
  );
  return (
    <OperatorPage ctx={ctx} role={role} current="terms" title={diff.previous ? t('console.terms.diff_title', { version: diff.previous.version }) : t('console.terms.new')}>
      <ErrorSummary t={t} error={error ?? null} />
      {!diff.previous && <Alert kind="info"><p>{t('console.terms.diff_first')}</p></Alert>}
      <DiffView ctx={ctx} diff={diff} />
      <div class="actions">
        <form method="post" action="/operator/terms">
          {hidden}
          <input type="hidden" name="basedOn" value={diff.previous?.id ?? ''} />
          <Button>{t('console.terms.publish', { version: nextVersion })}</Button>
        </form>
        <form method="post" action="/operator/terms/diff">
          {hidden}
          <input type="hidden" name="edit" value="1" />
          <Button>{t('console.terms.edit')}</Button>
        </form>
      </div>
    </OperatorPage>
  );
}

export function TermsVersionPage({ ctx, role, version, diff }: { ctx: PageCtx; role: OperatorRole; version: TermsVersion; diff: TermsDiff }) {
  const { t, lang } = ctx;
  return (
    <OperatorPage ctx={ctx} role={role} current="terms" title={t('console.terms.diff_of', { version: version.version })}>
      <p class="muted">{formatDateTime(version.published_at, lang)}</p>
      {diff.previous ? <p>{t('console.terms.diff_title', { version: diff.previous.version })}</p> : <p>{t('console.terms.diff_first')}</p>}
      <DiffView ctx={ctx} diff={diff} />
      <p><a href="/operator/terms">{t('console.terms.title')}</a></p>
    </OperatorPage>
  );
}
