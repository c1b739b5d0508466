// Form pieces of the console's notices, maintenance and terms pages (issue 26, helper C): a labelled
// textarea and date-time field with their errors tied by aria-describedby (as web/views/form.tsx's
// Field), and the frame a preview of customer-facing components is drawn in, per language.
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../../errors.ts';
import type { T } from '../../i18n/index.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Card } from '../../web/views/components.ts';

function described(id: string, hint: string | undefined, errs: unknown[]): string | undefined {
  return [hint ? `${id}-hint` : '', errs.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
}

function Errors({ t, id, errors }: { t: T; id: string; errors: FieldErrors[string] }) {
  if (!errors?.length) return null;
  return <p class="field-error" id={`${id}-err`}>{errors.map((e) => <span>{t(e.key, e.params)}</span>)}</p>;
}

export function TextArea({ t, name, label, value, hint, errors, required, rows = 4, maxLength }: {
  t: T; name: string; label: string; value: string; hint?: string; errors?: FieldErrors; required?: boolean; rows?: number; maxLength?: number;
}) {
  const id = `f-${name}`;
  const errs = errors?.[name] ?? [];
  return (
    <div class={errs.length ? 'field invalid' : 'field'}>
      <label for={id}>{label}{required && <span class="req"> ({t('common.required')})</span>}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <textarea id={id} name={name} rows={rows} required={required} maxLength={maxLength} aria-invalid={errs.length ? 'true' : undefined} aria-describedby={described(id, hint, errs)}>{value}</textarea>
      <Errors t={t} id={id} errors={errs} />
    </div>
  );
}

/** A JST date-time; the field's own value is kept as typed so a refused form shows it again. */
export function When({ t, name, label, value, hint, errors, required }: { t: T; name: string; label: string; value: string; hint?: string; errors?: FieldErrors; required?: boolean }) {
  const id = `f-${name}`;
  const errs = errors?.[name] ?? [];
  return (
    <div class={errs.length ? 'field invalid' : 'field'}>
      <label for={id}>{label} (JST){required && <span class="req"> ({t('common.required')})</span>}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <input id={id} name={name} type="datetime-local" value={value} required={required} aria-invalid={errs.length ? 'true' : undefined} aria-describedby={described(id, hint, errs)} />
      <Errors t={t} id={id} errors={errs} />
    </div>
  );
}

/** Customer-facing components drawn in both languages, each with the context of that language. */
export function PreviewFrame({ ctx, ctxs, action, children }: { ctx: PageCtx; ctxs: PageCtx[]; action: string; children: (c: PageCtx) => ComponentChildren }) {
  const { t } = ctx;
  return (
    <Card class="console-preview" labelledBy="preview-h" title={t('console.preview_title')}>
      <p class="muted">{t('console.preview_note', { action })}</p>
      {ctxs.map((c) => (
        <div class="preview-lang" lang={c.lang}>
          <h3>{t('console.preview_in', { lang: t(`lang.${c.lang}`) })}</h3>
          {children(c)}
        </div>
      ))}
    </Card>
  );
}
