// Operators (issue 26 item 1): the provider organisation's users with an operator role; an operator
// admin adds one (the starting guide, as every registration) and changes roles. The CLI's
// `bizportal operator add|list|set-role` call the same services.
import type { OperatorRole } from '../../db/schema.ts';
import type { FieldErrors } from '../../errors.ts';
import type { PublicUser } from '../../auth/service.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { When } from '../../portal/views/ops-parts.tsx';
import { Button, Card, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';

const ROLES: readonly OperatorRole[] = ['agent', 'service_manager', 'operator_admin'];
export interface OperatorValues { email?: string; name?: string; phone?: string; loginId?: string; role?: string; lang?: string }

export function OperatorsPage({ ctx, role, me, providerName, operators, notice, error, errors, values = {} }: {
  ctx: PageCtx; role: OperatorRole; me: string; providerName: string; operators: PublicUser[];
  notice?: string | null; error?: FormError | null; errors?: FieldErrors; values?: OperatorValues;
}) {
  const { t, lang } = ctx;
  const errs = errors ?? {};
  return (
    <OperatorPage ctx={ctx} role={role} current="operators" title={t('console.ops.title')}>
      {notice && <Notice><p>{notice}</p></Notice>}
      <ErrorSummary t={t} error={error} />
      <p>{t('console.ops.intro', { org: providerName })}</p>
      {operators.length === 0 ? <EmptyState heading={t('console.ops.none')} /> : (
        <DataTable caption={t('console.ops.title')} captionHidden class="list" rows={operators} columns={[
          { label: t('identity.name'), rowHeader: true, cell: (u) => u.name },
          { label: t('login.login_id'), cell: (u) => u.login_id },
          { label: t('console.ops.role'), cell: (u) => u.operator_role ? t(`console.role.${u.operator_role}`) : '—' },
          { label: t('console.ops.state'), cell: (u) => t(u.disabled_at ? 'console.ops.state.disabled' : u.first_login_done ? 'console.ops.state.active' : 'console.ops.state.pending') },
          { label: t('console.ops.last_login'), cell: (u) => u.last_login_at ? <When ms={u.last_login_at} lang={lang} /> : '—' },
          { label: t('console.ops.change_role'), cell: (u) => u.id === me ? <span class="muted">—</span> : (
            <form method="post" action={`/operator/operators/${u.id}/role`} class="inline-action">
              <Csrf token={ctx.csrf} />
              <label for={`f-role-${u.id}`} class="sr">{`${t('console.ops.change_role')}: ${u.name}`}</label>
              <select id={`f-role-${u.id}`} name="role">
                {ROLES.map((r) => <option value={r} selected={u.operator_role === r}>{t(`console.role.${r}`)}</option>)}
                <option value="none">{t('console.ops.role.none')}</option>
              </select>{' '}
              <Button>{t('console.ops.apply')}</Button>
            </form>
          ) },
        ]} />
      )}
      <Card labelledBy="add-h" title={t('console.ops.add')}>
        <p class="hint">{t('console.ops.add_hint')}</p>
        <form method="post" action="/operator/operators" novalidate>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="email" type="email" label={t('identity.email')} errors={errs} value={values.email ?? ''} required maxLength={254} autocomplete="off" />
          <Field t={t} name="name" label={t('identity.name')} hint={t('identity.name_hint')} errors={errs} value={values.name ?? ''} required maxLength={100} autocomplete="off" />
          <Field t={t} name="phone" type="tel" label={t('identity.phone')} hint={t('identity.phone_hint')} errors={errs} value={values.phone ?? ''} required maxLength={40} autocomplete="off" />
          <Field t={t} name="loginId" label={t('login.login_id')} hint={t('admin.login_id_hint')} errors={errs} value={values.loginId ?? ''} maxLength={254} autocomplete="off" />
          <fieldset>
            <legend>{t('console.ops.role')}</legend>
            {ROLES.map((r) => (
              <div class="check"><input type="radio" id={`f-newrole-${r}`} name="role" value={r} checked={(values.role ?? 'agent') === r} /><label for={`f-newrole-${r}`}>{t(`console.role.${r}`)}</label></div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('admin.language')}</legend>
            {(['ja', 'en'] as const).map((l) => (
              <div class="check"><input type="radio" id={`f-lang-${l}`} name="lang" value={l} checked={(values.lang ?? ctx.lang) === l} /><label for={`f-lang-${l}`}>{t(`lang.${l}`)}</label></div>
            ))}
          </fieldset>
          <Button variant="primary">{t('console.ops.create')}</Button>
        </form>
      </Card>
    </OperatorPage>
  );
}
