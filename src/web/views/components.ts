// The design system's components in one import (docs/design-system.md).
export { PageHeader, Breadcrumbs, type Crumb } from './page-header.tsx';
export { GlobalNav, currentItem, pathUnder, type NavItem } from './global-nav.tsx';
export { Card, LinkCard } from './card.tsx';
export { DataTable, type Column } from './data-table.tsx';
export { Badge, type Tone } from './badge.tsx';
export { Button, ButtonLink, type ButtonVariant } from './button.tsx';
export { Alert, type AlertKind } from './alert.tsx';
export { EmptyState } from './empty-state.tsx';
export { Pager, pagerItems } from './pager.tsx';
export { StepIndicator } from './step-indicator.tsx';
