// Buttons and links that look like buttons. Variants: primary (the one main action of a form),
// secondary (default), danger (destructive; still needs a confirmation step, see docs/design-system.md).
import type { AnchorHTMLAttributes, ButtonHTMLAttributes, ComponentChildren } from 'preact';

export type ButtonVariant = 'primary' | 'secondary' | 'danger';

function classes(variant: ButtonVariant, small: boolean | undefined, extra: string | undefined, base = ''): string {
  return [base, variant === 'secondary' ? '' : variant, small ? 'small' : '', extra ?? ''].filter(Boolean).join(' ');
}

/**
 * Props: `variant`, `small`, `type` (default submit), `name`/`value` (which action a form posts), `disabled`.
 * Other button attributes pass through: `form` (a button outside its form), `hidden`, `aria-*`, and
 * the `data-*` a script reads (e.g. app.js's copy and show-password buttons).
 */
export function Button({ variant = 'secondary', small, type = 'submit', name, value, disabled, children, class: cls, ...rest }: {
  variant?: ButtonVariant; small?: boolean; type?: 'submit' | 'button' | 'reset'; name?: string; value?: string; disabled?: boolean; children: ComponentChildren; class?: string;
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'name' | 'value' | 'disabled' | 'class' | 'children'>) {
  const c = classes(variant, small, cls);
  return <button type={type} class={c || undefined} name={name} value={value} disabled={disabled} {...rest}>{children}</button>;
}

/**
 * A link styled as a button (navigation, never a state change: those are forms with a Button).
 * `aria-label` when the name needs the row it acts on (e.g. «N0001の設定を変更する»); `download` for a
 * file (a boolean, or the file's name); other link attributes pass through too.
 */
export function ButtonLink({ href, variant = 'secondary', small, children, class: cls, ...rest }: { href: string; variant?: ButtonVariant; small?: boolean; children: ComponentChildren; class?: string }
  & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'class' | 'children'>) {
  return <a href={href} class={classes(variant, small, cls, 'button')} {...rest}>{children}</a>;
}
