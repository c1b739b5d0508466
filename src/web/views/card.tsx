// Cards: a bordered surface (Card) and a linked summary tile with an optional count (LinkCard).
import type { ComponentChildren } from 'preact';

/** Props: `title` (a heading at `level`, default h2), `class` (extra classes), `labelledBy` for a section. */
export function Card({ title, level = 2, children, class: cls, as = 'section', labelledBy }: { title?: ComponentChildren; level?: 2 | 3; children?: ComponentChildren; class?: string; as?: 'section' | 'div'; labelledBy?: string }) {
  const H = level === 2 ? 'h2' : 'h3';
  const Tag = as;
  // labelledBy: the heading's id, so the section is a named region (aria-labelledby).
  return <Tag class={cls ? `card ${cls}` : 'card'} aria-labelledby={title && labelledBy ? labelledBy : undefined}>{title && <H id={labelledBy}>{title}</H>}{children}</Tag>;
}

/**
 * A tile of the home page: heading with the link, an optional count (a number with its words in
 * `countLabel`, never a bare number), a short text.
 */
export function LinkCard({ title, href, count, countLabel, text, level = 2 }: { title: string; href: string; count?: number; countLabel?: string; text?: ComponentChildren; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div class="card link-card">
      <H><a href={href}>{title}</a></H>
      {count !== undefined && <p><span class="count">{count}</span> <span class="muted">{countLabel}</span></p>}
      {text && <p class="muted">{text}</p>}
    </div>
  );
}
