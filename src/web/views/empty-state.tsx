// What a list shows when it has nothing: a heading, what that means, and what to do (optional action).
import type { ComponentChildren } from 'preact';

/** Props: `heading`, `level` (default 2), `text`, `action` (a ButtonLink or form). */
export function EmptyState({ heading, text, action, level = 2 }: { heading: ComponentChildren; text?: ComponentChildren; action?: ComponentChildren; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div class="empty-state">
      <H>{heading}</H>
      {text && <p>{text}</p>}
      {action && <div class="actions empty-action">{action}</div>}
    </div>
  );
}
