// The group page's section for S13 «manage groups and contract permissions»: the contracts the
// group may view, a revoke button each, and a form that grants contracts by number.
import type { FieldErrors } from '../../errors.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf } from '../../web/views/form.tsx';

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
      {contracts.rows.length === 0 ? <p class="muted">{t('portal.admin.no_contracts')}</p> : (
        <>
          {contracts.total > contracts.rows.length && <p class="muted">{t('portal.admin.shown_of', { shown: contracts.rows.length, total: contracts.total })}</p>}
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">{t('portal.col.number')}</th><th scope="col">{t('portal.col.service')}</th><th scope="col">{t('portal.col.site')}</th><th scope="col">{t('portal.col.memo')}</th><th scope="col"><span class="sr">{t('portal.admin.revoke')}</span></th></tr></thead>
              <tbody>{contracts.rows.map((c) => (
                <tr>
                  <td><code>{c.number}</code></td><td>{lang === 'ja' ? c.service_name_ja : c.service_name_en}</td><td>{c.site}</td><td>{c.memo}</td>
                  <td><form method="post" action={`${base}/contracts/${c.id}/revoke`} class="inline"><Csrf token={ctx.csrf} />
                    <button type="submit" class="link" aria-label={t('portal.admin.revoke_label', { number: c.number })}>{t('portal.admin.revoke')}</button></form></td>
                </tr>
              ))}</tbody>
            </table>
          </div>
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
        <button type="submit">{t('portal.admin.grant')}</button>
      </form>
    </section>
  );
}
