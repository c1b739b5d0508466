// Console branding pages (issue 20 item 2): the presets and the organisations that have a brand,
// and one scope's form (every field, logo and favicon upload, multipart so it works without
// JavaScript) with a preview of what is saved. Refusals are shown next to their field.
import type { FieldErrors } from '../../errors.ts';
import type { OperatorRole } from '../../db/schema.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice, type FormError } from '../../web/views/form.tsx';
import { Button, Card, EmptyState } from '../../web/views/components.ts';
import type { BrandMeta } from '../../branding/store.ts';
import type { Brand } from '../../web/brand.ts';
import { OperatorPage } from './layout.tsx';

export interface BrandFormValues {
  name_ja: string; name_en: string; colour: string; footer_ja: string; footer_en: string;
  support_email: string; support_phone: string; support_url: string; support_hours_ja: string; support_hours_en: string;
}

export function valuesOfMeta(m: BrandMeta | undefined): BrandFormValues {
  return {
    name_ja: m?.name_ja ?? '', name_en: m?.name_en ?? '', colour: m?.colour ?? '', footer_ja: m?.footer_ja ?? '', footer_en: m?.footer_en ?? '',
    support_email: m?.support_email ?? '', support_phone: m?.support_phone ?? '', support_url: m?.support_url ?? '',
    support_hours_ja: m?.support_hours_ja ?? '', support_hours_en: m?.support_hours_en ?? '',
  };
}

const scopeHref = (scope: string, id: string) => `/operator/branding/${scope}/${encodeURIComponent(id)}`;

export function BrandingListPage({ ctx, role, presets, orgs, error }: {
  ctx: PageCtx; role: OperatorRole; presets: { id: string; set: boolean }[]; orgs: { id: string; name: string }[]; error?: FormError | null;
}) {
  const { t } = ctx;
  return (
    <OperatorPage ctx={ctx} role={role} current="branding" title={t('brand.title')}>
      <p>{t('brand.intro')}</p>
      <ErrorSummary t={t} error={error} />
      <Card labelledBy="presets-h" title={t('brand.presets')}>
        <ul class="plain">{presets.map((p) => <li><a href={scopeHref('preset', p.id)}>{t('brand.scope.preset', { id: p.id })}</a></li>)}</ul>
      </Card>
      <Card labelledBy="orgs-h" title={t('brand.orgs')}>
        {orgs.length ? <ul class="plain">{orgs.map((o) => <li><a href={scopeHref('org', o.id)}>{t('brand.scope.org', { name: o.name })}</a> <span class="muted">{o.id}</span></li>)}</ul> : <EmptyState level={3} heading={t('brand.none')} />}
        <form method="get" action="/operator/branding" class="inline-form">
          <Field t={t} name="org" label={t('brand.org_id')} required maxLength={64} autocomplete="off" />
          <Button>{t('brand.open')}</Button>
        </form>
      </Card>
    </OperatorPage>
  );
}

function BrandPreview({ ctx, brand, themeHref }: { ctx: PageCtx; brand: Brand; themeHref: string | null }) {
  const { t } = ctx;
  const name = brand.name ?? t('app.name');
  return (
    <Card labelledBy="preview-h" title={t('brand.preview')}>
      {themeHref && <link rel="stylesheet" href={themeHref} />}
      <div class="brand-preview">
        <div class="brand-preview-header">{brand.logoUrl ? <img src={brand.logoUrl} alt={name} class="logo" /> : <strong>{name}</strong>}</div>
        <div class="brand-preview-body">
          <p><Button type="button" variant="primary" tabIndex={-1} aria-hidden="true">{t('brand.preview_button')}</Button> <span class="brand-preview-link">{t('brand.preview_link')}</span></p>
          {(brand.support.email || brand.support.phone || brand.support.url) && (
            <p class="muted">{[brand.support.email, brand.support.phone, brand.support.url, brand.support.hours].filter(Boolean).join(' / ')}</p>
          )}
          <p><small>© {brand.footerCompany ?? name}</small></p>
        </div>
      </div>
    </Card>
  );
}

export function BrandingScopePage({ ctx, role, scope, id, label, values, meta, brand, themeHref, errors, error, done }: {
  ctx: PageCtx; role: OperatorRole; scope: 'preset' | 'org'; id: string; label: string; values: BrandFormValues; meta: BrandMeta | undefined;
  brand: Brand | null; themeHref: string | null; errors: FieldErrors; error?: FormError | null; done?: string | null;
}) {
  const { t } = ctx;
  const title = scope === 'preset' ? t('brand.scope.preset', { id }) : t('brand.scope.org', { name: label });
  const text = (name: keyof BrandFormValues, max: number, type = 'text', hint?: string) => (
    <Field t={t} name={name} label={t(`brand.${name}`)} value={values[name]} errors={errors} maxLength={max} type={type} {...(hint ? { hint } : {})} />
  );
  const file = (name: 'logo' | 'favicon', accept: string) => {
    const errs = errors[name] ?? [];
    const fid = `f-${name}`;
    return (
      <div class={errs.length ? 'field invalid' : 'field'}>
        <label for={fid}>{t(`brand.${name}`)}</label>
        {meta?.[`${name}_hash`] && <p class="hint" id={`${fid}-hint`}>{t('brand.current_file')}: {meta[`${name}_type`]}</p>}
        <input id={fid} type="file" name={name} accept={accept} aria-invalid={errs.length ? 'true' : undefined}
          aria-describedby={[meta?.[`${name}_hash`] ? `${fid}-hint` : '', errs.length ? `${fid}-err` : ''].filter(Boolean).join(' ') || undefined} />
        {errs.length > 0 && <p class="field-error" id={`${fid}-err`}>{errs.map((e) => <span>{t(e.key, e.params)}</span>)}</p>}
        {meta?.[`${name}_hash`] && (
          <p><label><input type="checkbox" name={`remove_${name}`} value="1" /> {t(`brand.remove_${name}`)}</label></p>
        )}
      </div>
    );
  };
  return (
    <OperatorPage ctx={ctx} role={role} current="branding" title={title}>
      <p><a href="/operator/branding">{t('brand.back')}</a></p>
      {done && <Notice>{done}</Notice>}
      <ErrorSummary t={t} error={error} />
      {brand && <BrandPreview ctx={ctx} brand={brand} themeHref={themeHref} />}
      <form method="post" action={scopeHref(scope, id)} enctype="multipart/form-data" class="card" novalidate>
        <h2>{t('brand.fields')}</h2>
        <Csrf token={ctx.csrf} />
        {text('name_ja', 60)}
        {text('name_en', 60)}
        {text('colour', 7, 'text', t('brand.colour_hint'))}
        {file('logo', 'image/png,image/svg+xml,image/webp')}
        {file('favicon', 'image/png,image/x-icon,image/vnd.microsoft.icon,image/svg+xml')}
        {text('footer_ja', 100)}
        {text('footer_en', 100)}
        {text('support_email', 254, 'email')}
        {text('support_phone', 30, 'tel')}
        {text('support_url', 500, 'url')}
        {text('support_hours_ja', 100)}
        {text('support_hours_en', 100)}
        <Button variant="primary">{t('brand.save')}</Button>
      </form>
      {meta && (
        <form method="post" action={`${scopeHref(scope, id)}/clear`} class="card">
          <h2>{t('brand.clear')}</h2>
          <Csrf token={ctx.csrf} />
          <p><label><input type="checkbox" name="confirm" value="1" required /> {t('brand.clear_confirm')}</label></p>
          <Button variant="danger">{t('brand.clear')}</Button>
        </form>
      )}
    </OperatorPage>
  );
}
