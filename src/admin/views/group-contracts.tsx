// The group page's section for S13 «manage groups and contract permissions»: the contracts the
// group may view, a revoke button each, and a form that grants contracts by number.
import type { FieldErrors } from '../../errors.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf } from '../../web/views/form.tsx';
import { Button, DataTable, EmptyState } from '../../web/views/components.ts';

export interface GroupContracts {
  rows: { id: string; number: string; memo: string; site: string; service_name_ja: string; service_name_en: string }[];
  total: number;
}

export function GroupContractsSection({ ctx, base, contracts, fieldErrors, numbersValue }: {
  ctx: PageCtx; base: string; contracts: GroupContracts; fieldErrors: FieldErrors; numbersValue: string;
}) {
  const { t, lang } = ctx;
  const errs = fieldErrors.numbers ?? [];
  return (
    <section aria-labelledby="h-contracts">
      <h2 id="h-contracts">{t('portal.admin.contracts')}</h2>
      <p class="hint">{t('portal.admin.contracts_hint')}</p>
      {contracts.rows.length === 0 ? <EmptyState level={3} heading={t('portal.admin.no_contracts')} /> : (
        <>
          {contracts.total > contracts.rows.length && <p class="muted">{t('portal.admin.shown_of', { shown: contracts.rows.length, total: contracts.total })}</p>}
          <DataTable caption={t('portal.admin.contracts')} captionHidden rows={contracts.rows} columns={[
            { label: t('portal.col.number'), rowHeader: true, cell: (c) => <code>{c.number}</code> },
            { label: t('portal.col.service'), cell: (c) => lang === 'ja' ? c.service_name_ja : c.service_name_en },
            { label: t('portal.col.site'), cell: (c) => c.site },
            { label: t('portal.col.memo'), cell: (c) => c.memo },
            { label: t('portal.admin.revoke'), header: <span class="sr">{t('portal.admin.revoke')}</span>, cell: (c) => (
              <form method="post" action={`${base}/contracts/${c.id}/revoke`} class="inline"><Csrf token={ctx.csrf} />
                <Button class="link" aria-label={t('portal.admin.revoke_label', { number: c.number })}>{t('portal.admin.revoke')}</Button></form>
            ) },
          ]} />
        </>
      )}
      <form method="post" action={`${base}/contracts`} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <div class={errs.length ? 'field invalid' : 'field'}>
          <label for="f-numbers">{t('portal.admin.grant_numbers')}</label>
          <p class="hint" id="f-numbers-hint">{t('portal.admin.grant_hint')}</p>
          <textarea id="f-numbers" name="numbers" rows={3} maxLength={4000} aria-invalid={errs.length ? 'true' : undefined}
            aria-describedby={errs.length ? 'f-numbers-hint f-numbers-err' : 'f-numbers-hint'}>{numbersValue}</textarea>
          {errs.length > 0 && <p class="field-error" id="f-numbers-err">{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p>}
        </div>
        <Button>{t('portal.admin.grant')}</Button>
      </form>
    </section>
  );
}
