// Form parts: every field labelled, hints and errors tied to it by aria-describedby, errors announced.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import type { FieldErrors } from '../../errors.ts';
import type { MessageKey, MessageParams, T } from '../../i18n/index.ts';

export interface FormError { key: MessageKey; params?: MessageParams; list?: { key: MessageKey; params?: MessageParams }[] }

/** The message at the top of a form: role="alert" so screen readers announce it on load. */
export function ErrorSummary({ t, error }: { t: T; error?: FormError | null }) {
  if (!error) return null;
  return (
    <div class="alert error" role="alert" id="form-error">
      <p>{t(error.key, error.params)}</p>
      {error.list && error.list.length > 0 && (
        <ul>{error.list.map((e) => <li>{t(e.key, e.params)}</li>)}</ul>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return <div class="alert info" role="status">{children}</div>;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'label'>;

export function Field({ t, name, label, hint, errors, ...input }: { t: T; name: string; label: string; hint?: string; errors?: FieldErrors } & InputProps) {
  const id = `f-${name}`;
  const errs = errors?.[name] ?? [];
  const describedBy = [hint ? `${id}-hint` : '', errs.length ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={errs.length ? 'field invalid' : 'field'}>
      <label for={id}>{label}{input.required && <span class="req"> ({t('common.required')})</span>}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <input id={id} name={name} aria-invalid={errs.length ? 'true' : undefined} aria-describedby={describedBy} {...input} />
      {errs.length > 0 && (
        <p class="field-error" id={`${id}-err`}>{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p>
      )}
    </div>
  );
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}
