// The top of a page: breadcrumbs (optional), the one h1, an optional lead line and actions.
import type { ComponentChildren } from 'preact';
import type { T } from '../../i18n/index.ts';

export interface Crumb {
  label: string;
  /** Omitted on the last crumb: the page itself (marked aria-current="page"). */
  href?: string;
}

/** Where the page sits: a labelled nav with an ordered list; the last crumb is the current page. */
export function Breadcrumbs({ t, items }: { t: T; items: Crumb[] }) {
  if (items.length === 0) return null;
  return (
    <nav class="crumbs" aria-label={t('ui.breadcrumbs')}>
      <ol>
        {items.map((c, i) => (
          <li>{c.href && i < items.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * Props: `title` (the h1), `lead` (one line under it), `actions` (buttons/links on the right, wrap
 * under the title on a phone), `breadcrumbs` (a <Breadcrumbs> or any node above the title).
 */
export function PageHeader({ title, lead, actions, breadcrumbs }: { title: ComponentChildren; lead?: ComponentChildren; actions?: ComponentChildren; breadcrumbs?: ComponentChildren }) {
  return (
    <>
      {breadcrumbs}
      <div class="page-header">
        <div class="titles">
          <h1>{title}</h1>
          {/* A div, not a p: a lead may hold a list (the dashboard's facts) and a p cannot. */}
          {lead && <div class="lead">{lead}</div>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
    </>
  );
}
