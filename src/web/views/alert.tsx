// Message boxes. `error` is role=alert (announced at once), the others role=status (polite).
import type { ComponentChildren } from 'preact';

export type AlertKind = 'info' | 'success' | 'warning' | 'error';

/** Props: `kind`, `title` (bold first line), `id` (for aria-describedby), `role` to override (e.g. none for a static note). */
export function Alert({ kind, title, children, id, role }: { kind: AlertKind; title?: ComponentChildren; children?: ComponentChildren; id?: string; role?: 'alert' | 'status' | 'note' }) {
  // The CSS class of a warning is `warn` (the name the pages used before the design system).
  const cls = kind === 'warning' ? 'warn' : kind;
  return (
    <div class={`alert ${cls}`} role={role ?? (kind === 'error' ? 'alert' : 'status')} id={id}>
      {title && <p class="alert-title">{title}</p>}
      {children}
    </div>
  );
}
