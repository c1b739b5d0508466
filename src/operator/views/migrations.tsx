// Console: the legacy-user migrations (issue 21 item 5), read-only. The same figures as
// `bizportal migrate status`: each import with its period, and per organisation made by an import
// how many imported users completed their first login. Imports, periods and the first-login mails
// stay with the CLI (docs/migration.md): a million-row file is no upload for a web form.
import type { OperatorRole } from '../../db/schema.ts';
import { formatDateTime } from '../../i18n/index.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import type { MigrationSummary, OrgProgress } from '../../migration/status.ts';
import type { PeriodState } from '../../migration/period.ts';
import { Badge, ButtonLink, DataTable, EmptyState, type Tone } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';

/** The tone only repeats the words (WCAG 1.4.1): an open period is the one that needs watching. */
const STATE_TONE: Record<PeriodState, Tone> = { unset: 'neutral', before: 'info', during: 'success', after: 'warning' };

export const MIGRATION_USERS_CSV = '/operator/migrations/users.csv';

export function MigrationsPage({ ctx, role, migrations, orgs }: { ctx: PageCtx; role: OperatorRole; migrations: MigrationSummary[]; orgs: OrgProgress[] }) {
  const { t, lang } = ctx;
  const when = (ms: number | null) => (ms === null ? '—' : formatDateTime(ms, lang));
  if (!migrations.length && !orgs.length) {
    return (
      <OperatorPage ctx={ctx} role={role} current="migrations" title={t('console.migrations.title')}>
        <EmptyState heading={t('console.migrations.empty')} text={<>{t('console.migrations.empty_text')} <code>bizportal migrate import FILE</code> (docs/migration.md)</>} />
      </OperatorPage>
    );
  }
  const users = orgs.reduce((n, o) => n + o.users, 0);
  const completed = orgs.reduce((n, o) => n + o.completed, 0);
  return (
    <OperatorPage ctx={ctx} role={role} current="migrations" title={t('console.migrations.title')} lead={t('console.migrations.lead')}
      actions={<ButtonLink href={MIGRATION_USERS_CSV} download>{t('console.migrations.csv')}</ButtonLink>}>
      <p class="muted">{t('console.jst')}</p>
      <DataTable caption={t('console.migrations.imports')} rows={migrations} columns={[
        { label: t('console.migrations.col.file'), rowHeader: true, cell: (m) => <code>{m.fileName}</code> },
        { label: t('console.migrations.col.imported_at'), cell: (m) => <>{when(m.startedAt)}{m.finishedAt === null && <> <Badge tone="warning">{t('console.migrations.not_finished')}</Badge></>}</> },
        { label: t('console.migrations.col.rows'), numeric: true, cell: (m) => m.imported },
        { label: t('console.migrations.col.period_start'), cell: (m) => when(m.periodStartsAt) },
        { label: t('console.migrations.col.period_end'), cell: (m) => when(m.periodEndsAt) },
        { label: t('console.migrations.col.state'), cell: (m) => <Badge tone={STATE_TONE[m.periodState]}>{t(`console.migrations.state.${m.periodState}`)}</Badge> },
        { label: t('console.migrations.col.guides'), numeric: true, cell: (m) => m.guidesSent },
      ]} />
      <p class="total" role="status"><strong>{t('console.migrations.totals', { orgs: orgs.length, users, completed, pending: users - completed })}</strong></p>
      <DataTable caption={t('console.migrations.orgs')} rows={orgs} columns={[
        { label: t('console.migrations.col.contract'), cell: (o) => <code>{o.contract}</code> },
        { label: t('console.migrations.col.parent'), cell: (o) => (o.parentContract ? <code>{o.parentContract}</code> : '—') },
        { label: t('console.migrations.col.org'), rowHeader: true, cell: (o) => <a href={`/operator/organisations/${o.organisationId}`}>{o.organisation || o.organisationId}</a> },
        { label: t('console.migrations.col.users'), numeric: true, cell: (o) => o.users },
        { label: t('console.migrations.col.completed'), numeric: true, cell: (o) => o.completed },
        { label: t('console.migrations.col.pending'), numeric: true, cell: (o) => o.pending },
      ]} />
    </OperatorPage>
  );
}
