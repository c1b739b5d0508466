// S7 dashboard (seed 003 «サービスメニュー画面»): who and when, notices and maintenance, «最近の操作・
// ピン留め», «ご契約中のサービスから選ぶ» grouped by category with the common menus per service, and
// «ポータル管理者向け» for portal admins. An empty state says what to do when nothing is visible.
import { formatDateTime } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, Notice } from '../../web/views/form.tsx';
import { Alert, Badge, ButtonLink, Card, EmptyState, LinkCard, PageHeader } from '../../web/views/components.ts';
import type { NoticeRow } from '../notices/service.ts';
import type { MaintenanceRow } from '../maintenance/service.ts';
import type { DashboardService } from '../dashboard/service.ts';
import { nameOf } from './parts.tsx';
import { DashboardMaintenance } from '../maintenance/views.tsx';
import { DashboardNoticeItem } from '../notices/views.tsx';
import { Button } from '../../web/views/button.tsx';

export interface DashboardProps {
  ctx: PageCtx; name: string; organisation: string; previousLoginAt: number | null; skipReason: string | null; isAdmin: boolean;
  services: DashboardService[]; notices: NoticeRow[]; maintenance: MaintenanceRow[]; notice?: string | null;
}

const listHref = (s: { id: string }) => `/portal/contracts?service=${encodeURIComponent(s.id)}`;

/** The menus of one service (seed 003: «共通» and «オプション設定»). */
function ServiceMenus({ ctx, s }: { ctx: PageCtx; s: DashboardService }) {
  const { t } = ctx;
  const q = `service=${encodeURIComponent(s.id)}`;
  return (
    <ul class="menus">
      <li><a href={listHref(s)}>{t('portal.menu.contracts')}</a></li>
      <li><a href={`/portal/orders?${q}`}>{t('portal.menu.orders')}</a></li>
      <li><a href={`/portal/tickets?${q}`}>{t('portal.menu.tickets')}</a></li>
      <li><a href={`/portal/notices?${q}`}>{t('portal.menu.notices')}</a></li>
      {s.settings_site_url && <li class="option"><a href={`/portal/settings-sites?${q}`}>{t('portal.menu.settings_site')}</a></li>}
    </ul>
  );
}

function PinForm({ ctx, s }: { ctx: PageCtx; s: DashboardService }) {
  const { t, lang } = ctx;
  const name = nameOf(s, lang);
  return (
    <form method="post" action={`/portal/services/${s.id}/pin`} class="pin">
      <Csrf token={ctx.csrf} />
      <input type="hidden" name="pinned" value={s.pinned ? '0' : '1'} />
      <Button class="link" aria-label={t(s.pinned ? 'portal.unpin_label' : 'portal.pin_label', { service: name })}>
        {t(s.pinned ? 'portal.unpin' : 'portal.pin')}
      </Button>
    </form>
  );
}

/**
 * What the portal half provides, as linked cards: counts only where the page has them already (the
 * services and the running notices); GET / stays within its statement budget (home-statements test).
 */
function PortalCards(p: DashboardProps) {
  const { t } = p.ctx;
  return (
    <section aria-labelledby="h-portal">
      <h2 id="h-portal" class="sr">{t('home.section')}</h2>
      <ul class="card-grid portal-cards">
        <li><LinkCard level={3} title={t('home.card.contracts')} href="/portal/contracts" count={p.services.length} countLabel={t('home.card.contracts_count')} text={t('home.card.contracts_text')} /></li>
        <li><LinkCard level={3} title={t('home.card.orders')} href="/portal/orders" text={t('home.card.orders_text')} /></li>
        <li><LinkCard level={3} title={t('home.card.tickets')} href="/portal/tickets" text={t('home.card.tickets_text')} /></li>
        <li><LinkCard level={3} title={t('home.card.notices')} href="/portal/notices" count={p.notices.length} countLabel={t('home.card.notices_count')} text={t('home.card.notices_text')} /></li>
        {p.isAdmin && <li><LinkCard level={3} title={t('home.card.admin')} href="/admin" text={t('home.card.admin_text')} /></li>}
      </ul>
    </section>
  );
}

export function DashboardPage(p: DashboardProps) {
  const { ctx } = p;
  const { t, lang } = ctx;
  const categories: { key: string; name: string; services: DashboardService[] }[] = [];
  for (const s of p.services) {
    let c = categories.find((x) => x.key === s.category_code);
    if (!c) categories.push(c = { key: s.category_code, name: lang === 'ja' ? s.category_name_ja : s.category_name_en, services: [] });
    c.services.push(s);
  }
  const pinned = p.services.filter((s) => s.pinned);
  const recent = p.services.filter((s) => !s.pinned && s.last_used_at !== null).sort((a, b) => b.last_used_at! - a.last_used_at!).slice(0, 5);
  return (
    <Layout ctx={ctx} title={t('portal.dashboard')} wide>
      <PageHeader title={t('home.welcome', { name: p.name })} lead={
        <dl class="facts compact">
          <dt>{t('home.organisation')}</dt><dd>{p.organisation}</dd>
          <dt>{t('home.last_login')}</dt><dd>{p.previousLoginAt ? formatDateTime(p.previousLoginAt, lang) : t('home.first_login')}</dd>
        </dl>
      } />
      {p.notice && <Notice>{p.notice}</Notice>}
      {p.skipReason && <Alert kind="info"><p>{t('home.skipped', { reason: p.skipReason })}</p></Alert>}
      {p.maintenance.map((m) => <DashboardMaintenance ctx={ctx} window={m} />)}
      {p.notices.length > 0 && (
        <Card class="notices" title={t('portal.notices')} labelledBy="h-notices">
          <ul class="plain">
            {p.notices.map((n) => <DashboardNoticeItem ctx={ctx} notice={n} />)}
          </ul>
        </Card>
      )}
      <PortalCards {...p} />
      <div class="dash">
        <section class="dash-main" aria-labelledby="h-services">
          <h2 id="h-services">{t('portal.choose_service')}</h2>
          {p.services.length === 0 ? (
            <EmptyState level={3} heading={t('portal.empty_title')} text={t(p.isAdmin ? 'portal.empty_admin' : 'portal.empty_general')}
              action={p.isAdmin ? <ButtonLink href="/admin/groups">{t('portal.admin_groups')}</ButtonLink> : undefined} />
          ) : (
            <>
              <p class="hint">{t('portal.choose_service_hint')}</p>
              {categories.map((c) => (
                <div class="category">
                  <h3>{c.name}</h3>
                  <ul class="services">
                    {c.services.map((s) => (
                      <li class="service">
                        <div class="service-head">
                          <h4><a href={listHref(s)}>{nameOf(s, lang)}</a></h4>
                          <PinForm ctx={ctx} s={s} />
                        </div>
                        <ServiceMenus ctx={ctx} s={s} />
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </>
          )}
        </section>
        <aside class="dash-side">
          <Card title={t('portal.shortcuts')} labelledBy="h-shortcuts">
            {pinned.length === 0 && recent.length === 0 ? <p class="muted">{t('portal.no_shortcuts')}</p> : (
              <ul class="plain shortcuts">
                {pinned.map((s) => <li><Badge tone="info">{t('portal.pinned')}</Badge> <a href={listHref(s)}>{nameOf(s, lang)}</a></li>)}
                {recent.map((s) => <li><span class="badge quiet">{t('portal.recent')}</span> <a href={listHref(s)}>{nameOf(s, lang)}</a></li>)}
              </ul>
            )}
          </Card>
          {p.isAdmin && (
            <Card title={t('portal.admin_menu')} labelledBy="h-admin">
              {/* The entry to the admin console is ポータル管理 in the global navigation (README walkthrough step 8). */}
              <ul class="plain">
                <li><a href="/admin/users">{t('portal.admin_users')}</a></li>
                <li><a href="/admin/groups">{t('portal.admin_groups')}</a></li>
                <li><a href="/admin/audit">{t('portal.admin_audit')}</a></li>
                <li><a href="/admin/settings">{t('portal.admin_settings')}</a></li>
              </ul>
            </Card>
          )}
        </aside>
      </div>
    </Layout>
  );
}
