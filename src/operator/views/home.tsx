// Console home (issue 26): what waits for the provider, and the areas this operator may open.
import type { OperatorRole } from '../../db/schema.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Card } from '../../web/views/components.ts';
import { areasFor, OperatorPage } from './layout.tsx';

export function OperatorHomePage({ ctx, role, counts }: { ctx: PageCtx; role: OperatorRole; counts: { waiting: number; mine: number; unassigned: number } }) {
  const { t } = ctx;
  return (
    <OperatorPage ctx={ctx} role={role} current="home" title={t('console.area.home')}>
      <Card labelledBy="waiting-h" title={t('console.home.waiting')}>
        <ul class="plain">
          <li><a href="/operator/tickets?status=waiting">{t('console.home.waiting_n', { n: counts.waiting })}</a></li>
          <li><a href="/operator/tickets?status=waiting&amp;assignee=me">{t('console.home.mine_n', { n: counts.mine })}</a></li>
          <li><a href="/operator/tickets?status=waiting&amp;assignee=none">{t('console.home.unassigned_n', { n: counts.unassigned })}</a></li>
        </ul>
      </Card>
      <section aria-labelledby="areas-h">
        <h2 id="areas-h">{t('console.home.areas')}</h2>
        <ul class="console-areas">
          {areasFor(role).filter((a) => a.area !== 'home').map((a) => <li><a href={a.href}>{t(`console.area.${a.area}`)}</a></li>)}
        </ul>
      </section>
    </OperatorPage>
  );
}
