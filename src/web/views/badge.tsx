// A small label. The text carries the meaning; the tone colour only repeats it (WCAG 1.4.1).
import type { ComponentChildren } from 'preact';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** Props: `tone` (default neutral), `class` (extra classes, e.g. the legacy status-* ones). */
export function Badge({ tone = 'neutral', children, class: cls }: { tone?: Tone; children: ComponentChildren; class?: string }) {
  return <span class={`badge tone-${tone}${cls ? ` ${cls}` : ''}`}>{children}</span>;
}
