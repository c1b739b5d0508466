// Notice pages (S7 «工事・故障情報»): current (running and upcoming) and past, for every service
// the user sees or for one of them.
import { formatDateTime, type T } from '../../i18n/index.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { ButtonLink, Card, DataTable, EmptyState, PageHeader } from '../../web/views/components.ts';
import { ListPager, PortalNav, When } from '../views/ops-parts.tsx';
import { PAGE_SIZE, type NoticeRow, type NoticeView } from './service.ts';

/** One notice in the dashboard's «工事・故障情報» list (S7); the console's preview renders the same item. */
export function DashboardNoticeItem({ ctx, notice: n }: { ctx: PageCtx; notice: Pick<NoticeRow, 'kind' | 'title_ja' | 'title_en' | 'starts_at' | 'ends_at'> }) {
  const { t, lang } = ctx;
  return (
    <li><span class={`badge kind-${n.kind}`}>{t(`portal.notice_kind.${n.kind}`)}</span> {lang === 'ja' ? n.title_ja : n.title_en}
      <span class="muted"> ({formatDateTime(n.starts_at, lang)}{n.ends_at ? ` – ${formatDateTime(n.ends_at, lang)}` : ''})</span></li>
  );
}

/** The body of a notice's own page: kind, services, period and text (the console previews it too). */
export function NoticeFacts({ ctx, notice: n }: { ctx: PageCtx; notice: NoticeView }) {
  const { t, lang } = ctx;
  return (
    <>
      <dl class="facts">
        <dt>{t('notices.kind_label')}</dt><dd>{t(`notices.kind.${n.kind}`)} ({t(`notices.phase.${n.phase}`)})</dd>
        <dt>{t('ops.service')}</dt><dd>{serviceName(t, lang, n)}</dd>
        <dt>{t('notices.period')}</dt><dd><Period ctx={ctx} n={n} /></dd>
        <dt>{t('notices.status_label')}</dt><dd>{t(`notices.status.${n.status}`)}</dd>
      </dl>
      {n.contracts.length > 0 && (
        <DataTable caption={t('notices.affected')} rows={n.contracts} columns={[
          { label: t('ops.contract'), rowHeader: true, cell: (c) => <code>{c.number}</code> },
          { label: t('notices.impact_label'), cell: (c) => t(`notices.impact.${c.impact}`) },
        ]} />
      )}
      <Card as="div"><p class="pre">{lang === 'en' ? n.bodyEn : n.bodyJa}</p></Card>
    </>
  );
}

function Period({ ctx, n }: { ctx: PageCtx; n: NoticeView }) {
  const { t, lang } = ctx;
  return <><When ms={n.startsAt} lang={lang} /> – {n.endsAt !== null ? <When ms={n.endsAt} lang={lang} /> : t('notices.until_further')}</>;
}
/** The services it concerns that the reader sees, or «all services». */
export function serviceName(t: T, lang: 'ja' | 'en', n: Pick<NoticeView, 'services' | 'allServices'>): string {
  if (n.allServices) return t('notices.all_services');
  return n.services.map((s) => (lang === 'en' ? s.nameEn : s.nameJa)).join(lang === 'en' ? ', ' : '、');
}

export function NoticesPage({ ctx, notices, total, page, when, serviceId, serviceName: svc }: {
  ctx: PageCtx; notices: NoticeView[]; total: number; page: number; when: 'current' | 'past'; serviceId?: string | undefined; serviceName?: string | undefined;
}) {
  const { t, lang } = ctx;
  const q = (w: string) => `/portal/notices?when=${w}${serviceId ? `&service=${encodeURIComponent(serviceId)}` : ''}`;
  const title = svc ? t('notices.title_for', { service: svc }) : t('notices.title');
  return (
    <Layout ctx={ctx} title={title} wide>
      <PortalNav t={t} current="notices" />
      <PageHeader title={title} />
      <nav class="tabs" aria-label={t('notices.period')}>
        <a href={q('current')} aria-current={when === 'current' ? 'page' : undefined}>{t('notices.current')}</a>
        <a href={q('past')} aria-current={when === 'past' ? 'page' : undefined}>{t('notices.past')}</a>
      </nav>
      <p class="muted" role="status">{t('ops.count', { count: total })}</p>
      {notices.length === 0 ? <EmptyState heading={t(when === 'current' ? 'notices.none_current' : 'notices.none_past')} /> : (
        <ul class="notice-list">
          {notices.map((n) => (
            <li class={`notice ${n.kind}`}>
              <p class="notice-meta"><span class={`badge kind-${n.kind}`}>{t(`notices.kind.${n.kind}`)}</span> <span class="badge phase">{t(`notices.phase.${n.phase}`)}</span> {serviceName(t, lang, n)}</p>
              <h2><a href={`/portal/notices/${n.id}`}>{lang === 'en' ? n.titleEn : n.titleJa}</a></h2>
              <p class="muted"><Period ctx={ctx} n={n} /></p>
            </li>
          ))}
        </ul>
      )}
      <ListPager t={t} path="/portal/notices" query={{ when, service: serviceId }} page={page} total={total} size={PAGE_SIZE} />
    </Layout>
  );
}

export function NoticePage({ ctx, notice: n }: { ctx: PageCtx; notice: NoticeView }) {
  const { t, lang } = ctx;
  const title = lang === 'en' ? n.titleEn : n.titleJa;
  return (
    <Layout ctx={ctx} title={title} wide>
      <PortalNav t={t} current="notices" />
      <PageHeader title={title} actions={<ButtonLink href={`/portal/tickets/new?notice=${encodeURIComponent(n.id)}`}>{t('tickets.ask_about_notice')}</ButtonLink>} />
      <NoticeFacts ctx={ctx} notice={n} />
      {n.statusHistory.length > 0 && (
        <section aria-labelledby="h-history">
          <h2 id="h-history">{t('notices.history')}</h2>
          <ol class="plain">{n.statusHistory.map((h) => <li>{t(`notices.status.${h.status}`)} <span class="muted"><When ms={h.at} lang={lang} /></span></li>)}</ol>
        </section>
      )}
      {n.report && (
        <section aria-labelledby="h-report">
          <h2 id="h-report">{t('notices.report')}</h2>
          <p><a href={`/portal/notices/${n.id}/report`} download>{t('notices.report_download', { name: n.report.filename, size: n.report.size })}</a></p>
        </section>
      )}
      <p><a href="/portal/notices">{t('notices.back')}</a></p>
    </Layout>
  );
}
