// User groups (S0, S13): the list with a create form, and one group with its members.
import type { FieldErrors } from '../../errors.ts';
import type { PublicUser } from '../../auth/service.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import type { GroupRow, ListedGroup } from '../../portal/groups/service.ts';
import { ButtonLink, Card, DataTable, EmptyState, PageHeader } from '../../web/views/components.ts';
import { AdminNav, Crumbs, OrgSelect, type OrgOption } from './parts.tsx';
import { GroupContractsSection, type GroupContracts } from './group-contracts.tsx';
import { Button } from '../../web/views/button.tsx';

export function AdminGroupsPage({ ctx, groups, orgs, org, notice, error, fieldErrors, nameValue }: {
  ctx: PageCtx; groups: ListedGroup[]; orgs: OrgOption[]; org?: string | undefined; notice?: string | null;
  error?: FormError | null; fieldErrors?: FieldErrors; nameValue?: string;
}) {
  const { t } = ctx;
  const multiOrg = orgs.length > 1;
  return (
    <Layout ctx={ctx} title={t('admin.groups')} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={t('admin.groups')} breadcrumbs={<Crumbs ctx={ctx} trail={[{ label: t('admin.groups') }]} />} />
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      {groups.length === 0 ? <EmptyState heading={t('admin.no_groups')} /> : (
        <DataTable caption={t('admin.groups')} captionHidden rows={groups} columns={[
          { label: t('admin.group_name'), rowHeader: true, cell: (g) => <a href={`/admin/groups/${g.id}`}>{g.name}</a> },
          ...(multiOrg ? [{ label: t('admin.organisation'), cell: (g: ListedGroup) => g.organisation_name }] : []),
          { label: t('admin.member_count'), numeric: true, cell: (g) => g.members },
        ]} />
      )}
      <form method="post" action="/admin/groups" class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <h2>{t('admin.create_group')}</h2>
        <OrgSelect ctx={ctx} orgs={orgs} value={org} />
        <Field t={t} name="name" label={t('admin.group_name')} errors={fieldErrors} value={nameValue ?? ''} required maxLength={100} />
        <Button>{t('admin.create_group')}</Button>
      </form>
    </Layout>
  );
}

/**
 * The member picker (issue 20 item 5): a GET search on this page (?member_q=) instead of one select
 * of every user; each match has its own «add» form, which carries the search so it stays shown.
 */
function MemberPicker({ ctx, base, memberQ, candidates }: { ctx: PageCtx; base: string; memberQ?: string | undefined; candidates?: PublicUser[] | undefined }) {
  const { t } = ctx;
  return (
    <Card as="div">
      <form method="get" action={base} role="search">
        <div class="field">
          <label for="f-member-q">{t('admin.member_search')}</label>
          <p class="hint" id="f-member-q-hint">{t('admin.member_search_hint')}</p>
          <input id="f-member-q" name="member_q" type="search" value={memberQ ?? ''} maxLength={200} aria-describedby="f-member-q-hint" />
        </div>
        <Button>{t('admin.search')}</Button>
      </form>
      {candidates && (
        <section aria-labelledby="h-candidates">
          <h3 id="h-candidates">{t('admin.member_results')}</h3>
          {candidates.length === 0 ? <p class="muted">{t('admin.no_matches')}</p> : (
            <ul class="plain candidates">
              {candidates.map((u) => (
                <li>
                  <span>{u.login_id} — {u.name}</span>{' '}
                  <form method="post" action={`${base}/members`} class="inline">
                    <Csrf token={ctx.csrf} />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="member_q" value={memberQ ?? ''} />
                    <Button aria-label={t('admin.add_named', { name: `${u.login_id} ${u.name}` })}>{t('admin.add')}</Button>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Card>
  );
}

export function AdminGroupPage({ ctx, group, organisationName, members, candidates, memberQ, contracts, notice, error, fieldErrors, nameValue, numbersValue }: {
  ctx: PageCtx; group: GroupRow; organisationName: string; members: PublicUser[]; candidates?: PublicUser[] | undefined; memberQ?: string | undefined; contracts: GroupContracts;
  notice?: string | null; error?: FormError | null; fieldErrors?: FieldErrors; nameValue?: string; numbersValue?: string;
}) {
  const { t } = ctx;
  const base = `/admin/groups/${group.id}`;
  return (
    <Layout ctx={ctx} title={group.name} wide>
      <AdminNav ctx={ctx} />
      <PageHeader title={group.name} lead={organisationName}
        breadcrumbs={<Crumbs ctx={ctx} trail={[{ href: '/admin/groups', label: t('admin.groups') }, { label: group.name }]} />} />
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary t={t} error={error} />
      <section aria-labelledby="h-members">
        <h2 id="h-members">{t('admin.members')}</h2>
        {members.length === 0 ? <EmptyState level={3} heading={t('admin.no_members')} /> : (
          <ul class="plain">
            {members.map((u) => (
              <li>
                <a href={`/admin/users/${u.id}`}>{u.login_id}</a> {u.name}{' '}
                <ButtonLink variant="danger" href={`${base}/members/${u.id}/remove`}>{t('admin.remove')}<span class="sr-only">{` ${u.login_id} ${u.name}`}</span></ButtonLink>
              </li>
            ))}
          </ul>
        )}
        <MemberPicker ctx={ctx} base={base} memberQ={memberQ} candidates={candidates} />
      </section>
      <GroupContractsSection ctx={ctx} base={base} contracts={contracts} fieldErrors={fieldErrors ?? {}} numbersValue={numbersValue ?? ''} />
      <section aria-labelledby="h-rename">
        <h2 id="h-rename">{t('admin.rename')}</h2>
        <form method="post" action={`${base}/rename`} class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="name" label={t('admin.group_name')} errors={fieldErrors} value={nameValue ?? group.name} required maxLength={100} />
          <Button>{t('admin.rename')}</Button>
        </form>
      </section>
      <section aria-labelledby="h-delete">
        <h2 id="h-delete">{t('admin.delete_group')}</h2>
        <p class="hint">{t('admin.delete_group_hint')}</p>
        <ButtonLink variant="danger" href={`${base}/delete`}>{t('admin.delete_group')}</ButtonLink>
      </section>
    </Layout>
  );
}
