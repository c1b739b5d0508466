// Pieces shared by the admin pages: the admin navigation, the organisation choice, the pager.
import type { PublicUser } from '../../auth/service.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Breadcrumbs, Button, Pager as DsPager, type Crumb } from '../../web/views/components.ts';

export type OrgOption = { id: string; name: string };

export function AdminNav({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const links = [['/admin/users', t('admin.users')], ['/admin/groups', t('admin.groups')], ['/admin/audit', t('admin.audit')], ['/admin/settings', t('admin.settings')], ['/admin/api-tokens', t('api.tokens.title')], ['/admin/contacts', t('contacts.title')]] as const;
  const here = new URL(ctx.path, 'http://x').pathname;
  return (
    <nav class="subnav actions" aria-label={t('admin.nav')}>
      {links.map(([href, label]) => <a href={href} aria-current={here === href || here.startsWith(`${href}/`) ? 'page' : undefined}>{label}</a>)}
    </nav>
  );
}

/** A select of manageable organisations; shown only when there is a choice (partner admins, S0). */
export function OrgSelect({ ctx, orgs, value, allowAll, id = 'f-org' }: { ctx: PageCtx; orgs: OrgOption[]; value?: string | undefined; allowAll?: boolean; id?: string }) {
  if (orgs.length < 2) return orgs[0] && !allowAll ? <input type="hidden" name="org" value={orgs[0].id} /> : null;
  return (
    <div class="field">
      <label for={id}>{ctx.t('admin.organisation')}</label>
      <select id={id} name="org">
        {allowAll && <option value="">{ctx.t('admin.all_orgs')}</option>}
        {orgs.map((o) => <option value={o.id} selected={o.id === value}>{o.name}</option>)}
      </select>
    </div>
  );
}

/** A partner admin's choice of organisation for a settings-like page (a GET form), and the organisation shown. */
export function OrgPicker({ ctx, orgs, org, action }: { ctx: PageCtx; orgs: OrgOption[]; org: OrgOption; action: string }) {
  return (
    <>
      {orgs.length > 1 && (
        <form method="get" action={action} class="card">
          <OrgSelect ctx={ctx} orgs={orgs} value={org.id} id="f-org-pick" />
          <Button>{ctx.t('common.continue')}</Button>
        </form>
      )}
      <p class="muted">{org.name}</p>
    </>
  );
}

/** Previous/next links keeping the current filters (no JavaScript needed). */
export function Pager({ ctx, path, query, page, hasNext }: { ctx: PageCtx; path: string; query: Record<string, string | undefined>; page: number; hasNext: boolean }) {
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  };
  if (page === 1 && !hasNext) return null;
  return (
    <nav class="actions pager" aria-label={ctx.t('admin.page', { page })}>
      {page > 1 && <a href={href(page - 1)} rel="prev">{ctx.t('admin.prev')}</a>}
      <span>{ctx.t('admin.page', { page })}</span>
      {hasNext && <a href={href(page + 1)} rel="next">{ctx.t('admin.next')}</a>}
    </nav>
  );
}

export function methodLabel(ctx: PageCtx, u: PublicUser): string {
  if (u.second_factor === 'mail_otp') return ctx.t('profile.method.mail_otp');
  if (u.second_factor === 'totp') return ctx.t('profile.method.totp') + (u.two_step.totpEnrolled ? '' : ` (${ctx.t('profile.method.none')})`);
  return ctx.t('profile.method.none');
}

export function statusLabel(ctx: PageCtx, u: PublicUser): string {
  return u.disabled_at ? ctx.t('admin.disabled') : u.first_login_done ? ctx.t('admin.active') : ctx.t('admin.setup_pending');
}

export type { Crumb } from '../../web/views/components.ts';

/** Where this admin page sits (ポータル管理 › ユーザー › 山田 太郎): the overview first, then `trail`. */
export function Crumbs({ ctx, trail }: { ctx: PageCtx; trail: Crumb[] }) {
  return <Breadcrumbs t={ctx.t} items={[{ href: '/admin', label: ctx.t('admin.title') }, ...trail]} />;
}

/** `path?query` with the empty values left out, so links carry only the filters in use. */
export function hrefWith(path: string, query: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Numbered page links with the range and total (the design system's Pager), keeping the filters. */
export function NumberedPager({ ctx, path, query, page, pages, total, pageSize }: { ctx: PageCtx; path: string; query: Record<string, string | undefined>; page: number; pages: number; total: number; pageSize: number }) {
  return <DsPager t={ctx.t} page={page} pages={pages} total={total} pageSize={pageSize} href={(p) => hrefWith(path, { ...query, page: p > 1 ? String(p) : undefined })} />;
}
