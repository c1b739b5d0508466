// Form pieces of the customers and contracts pages (issue 26 item 3): a labelled select and a
// labelled text area with their errors beside them (aria-describedby), as web's Field does for inputs.
import type { FieldErrors } from '../../errors.ts';
import type { T } from '../../i18n/index.ts';

function described(id: string, hint: string | undefined, errs: unknown[]): string | undefined {
  return [hint ? `${id}-hint` : '', errs.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
}

function Errors({ t, id, errs }: { t: T; id: string; errs: NonNullable<FieldErrors[string]> }) {
  if (!errs.length) return null;
  return <p class="field-error" id={`${id}-err`}>{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p>;
}

export function SelectField({ t, name, label, hint, errors, value, options, required, id }: {
  t: T; name: string; label: string; hint?: string | undefined; errors?: FieldErrors | undefined; value?: string | undefined;
  options: readonly { value: string; label: string }[]; required?: boolean; id?: string;
}) {
  const fid = id ?? `f-${name}`;
  const errs = errors?.[name] ?? [];
  return (
    <div class={errs.length ? 'field invalid' : 'field'}>
      <label for={fid}>{label}{required && <span class="req"> ({t('common.required')})</span>}</label>
      {hint && <p class="hint" id={`${fid}-hint`}>{hint}</p>}
      <select id={fid} name={name} aria-invalid={errs.length ? 'true' : undefined} aria-describedby={described(fid, hint, errs)}>
        {options.map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}
      </select>
      <Errors t={t} id={fid} errs={errs} />
    </div>
  );
}

export function TextAreaField({ t, name, label, hint, errors, value, rows = 4, maxLength, required }: {
  t: T; name: string; label: string; hint?: string | undefined; errors?: FieldErrors | undefined; value?: string | undefined;
  rows?: number; maxLength?: number; required?: boolean;
}) {
  const fid = `f-${name}`;
  const errs = errors?.[name] ?? [];
  return (
    <div class={errs.length ? 'field invalid' : 'field'}>
      <label for={fid}>{label}{required && <span class="req"> ({t('common.required')})</span>}</label>
      {hint && <p class="hint" id={`${fid}-hint`}>{hint}</p>}
      <textarea id={fid} name={name} rows={rows} maxLength={maxLength} required={required} spellcheck={false}
        aria-invalid={errs.length ? 'true' : undefined} aria-describedby={described(fid, hint, errs)}>{value ?? ''}</textarea>
      <Errors t={t} id={fid} errs={errs} />
    </div>
  );
}

/** The page's state after a form: a notice, or the refusal with its fields and the values typed. */
export interface FormState { notice?: string | null; error?: { key: import('../../i18n/index.ts').MessageKey; params?: import('../../i18n/index.ts').MessageParams } | null; fields?: FieldErrors; values?: Record<string, string> }
