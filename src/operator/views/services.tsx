// Services and categories in the provider's console (issue 26 item 3, S7): both lists, create forms,
// and the edit page of one service (names ja/en, category, settings site) or category (names, position).
import type { OperatorRole } from '../../db/schema.ts';
import type { CategoryRow, ServiceRow } from '../../portal/catalogue/service.ts';
import type { PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, Notice } from '../../web/views/form.tsx';
import { nameOf } from '../../portal/views/parts.tsx';
import { Button, DataTable, EmptyState } from '../../web/views/components.ts';
import { OperatorPage } from './layout.tsx';
import { SelectField, type FormState } from './customer-parts.tsx';

type Listed = ServiceRow & { category_code: string };

function CategoryFields({ ctx, form, v, withCode }: { ctx: PageCtx; form: FormState; v: Record<string, string | undefined>; withCode: boolean }) {
  const { t } = ctx;
  return (
    <>
      {withCode && <Field t={t} name="code" label={t('cc.services.code')} hint={t('cc.services.code_hint')} errors={form.fields} value={v.code ?? ''} required maxLength={40} />}
      <Field t={t} name="name_ja" lang="ja" label={t('cc.services.name_ja')} errors={form.fields} value={v.name_ja ?? ''} required maxLength={100} />
      <Field t={t} name="name_en" lang="en" label={t('cc.services.name_en')} errors={form.fields} value={v.name_en ?? ''} required maxLength={100} />
    </>
  );
}

function ServiceFields({ ctx, form, v, categories }: { ctx: PageCtx; form: FormState; v: Record<string, string | undefined>; categories: CategoryRow[] }) {
  const { t, lang } = ctx;
  return (
    <>
      <SelectField t={t} name="category" label={t('cc.services.category')} errors={form.fields} value={v.category} required
        options={categories.map((c) => ({ value: c.code, label: `${nameOf(c, lang)} (${c.code})` }))} />
      <Field t={t} name="settings_site_url" type="url" label={t('cc.services.settings_site')} hint={t('cc.services.settings_site_hint')} errors={form.fields} value={v.settings_site_url ?? ''} maxLength={2000} />
    </>
  );
}

export function ServicesPage({ ctx, role, categories, services, form, which }: {
  ctx: PageCtx; role: OperatorRole; categories: CategoryRow[]; services: Listed[]; form: FormState; which: 'service' | 'category' | null;
}) {
  const { t, lang } = ctx;
  const sv = which === 'service' ? form.values ?? {} : {};
  const cv = which === 'category' ? form.values ?? {} : {};
  const sf = which === 'service' ? form : {};
  const cf = which === 'category' ? form : {};
  return (
    <OperatorPage ctx={ctx} role={role} current="contracts" title={t('cc.services.title')} up={{ label: t('console.area.contracts'), href: '/operator/contracts' }}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <section aria-labelledby="h-services">
        <h2 id="h-services">{t('cc.services.services')}</h2>
        {services.length === 0 ? <EmptyState level={3} heading={t('cc.services.none')} /> : (
          <DataTable caption={t('cc.services.services')} captionHidden rows={services} columns={[
            { label: t('cc.services.code'), rowHeader: true, cell: (s) => <a href={`/operator/services/${s.code}`}><code>{s.code}</code></a> },
            { label: t('cc.services.name_ja'), cell: (s) => <span lang="ja">{s.name_ja}</span> },
            { label: t('cc.services.name_en'), cell: (s) => <span lang="en">{s.name_en}</span> },
            { label: t('cc.services.category'), cell: (s) => nameOf(categories.find((c) => c.id === s.category_id) ?? { name_ja: s.category_code, name_en: s.category_code }, lang) },
            { label: t('cc.services.has_settings_site'), cell: (s) => s.settings_site_url ? t('cc.services.yes') : t('cc.services.no') },
          ]} />
        )}
        {categories.length > 0 && (
          <form method="post" action="/operator/services" class="card" novalidate>
            <Csrf token={ctx.csrf} />
            <h3>{t('cc.services.create')}</h3>
            <ErrorSummary t={t} error={sf.error} />
            <CategoryFields ctx={ctx} form={sf} v={sv} withCode />
            <ServiceFields ctx={ctx} form={sf} v={sv} categories={categories} />
            <Button variant="primary">{t('cc.services.create')}</Button>
          </form>
        )}
      </section>
      <section aria-labelledby="h-categories">
        <h2 id="h-categories">{t('cc.services.categories')}</h2>
        {categories.length === 0 ? <EmptyState level={3} heading={t('cc.services.no_categories')} /> : (
          <ul class="plain">
            {categories.map((c) => <li><a href={`/operator/services/categories/${c.code}`}><code>{c.code}</code></a> <span lang="ja">{c.name_ja}</span> / <span lang="en">{c.name_en}</span> ({t('cc.services.position')}: {c.position})</li>)}
          </ul>
        )}
        <form method="post" action="/operator/services/categories" class="card" novalidate>
          <Csrf token={ctx.csrf} />
          <h3>{t('cc.services.create_category')}</h3>
          <ErrorSummary t={t} error={cf.error} />
          <CategoryFields ctx={ctx} form={cf} v={cv} withCode />
          <Field t={t} name="position" type="number" min={0} max={10000} label={t('cc.services.position')} errors={cf.fields} value={cv.position ?? '0'} />
          <Button variant="primary">{t('cc.services.create_category')}</Button>
        </form>
      </section>
    </OperatorPage>
  );
}

export function ServiceEditPage({ ctx, role, service, categories, form }: { ctx: PageCtx; role: OperatorRole; service: ServiceRow; categories: CategoryRow[]; form: FormState }) {
  const { t } = ctx;
  const category = categories.find((c) => c.id === service.category_id);
  const v = form.values ?? { name_ja: service.name_ja, name_en: service.name_en, category: category?.code, settings_site_url: service.settings_site_url ?? '' };
  return (
    <OperatorPage ctx={ctx} role={role} current="contracts" title={t('cc.services.edit_service', { code: service.code })} up={{ label: t('cc.services.back'), href: '/operator/services' }}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <form method="post" action={`/operator/services/${service.code}`} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <ErrorSummary t={t} error={form.error} />
        <CategoryFields ctx={ctx} form={form} v={v} withCode={false} />
        <ServiceFields ctx={ctx} form={form} v={v} categories={categories} />
        <Button variant="primary">{t('cc.services.save')}</Button>
      </form>
    </OperatorPage>
  );
}

export function CategoryEditPage({ ctx, role, category, form }: { ctx: PageCtx; role: OperatorRole; category: CategoryRow; form: FormState }) {
  const { t } = ctx;
  const v = form.values ?? { name_ja: category.name_ja, name_en: category.name_en, position: String(category.position) };
  return (
    <OperatorPage ctx={ctx} role={role} current="contracts" title={t('cc.services.edit_category', { code: category.code })} up={{ label: t('cc.services.back'), href: '/operator/services' }}>
      {form.notice && <Notice>{form.notice}</Notice>}
      <form method="post" action={`/operator/services/categories/${category.code}`} class="card" novalidate>
        <Csrf token={ctx.csrf} />
        <ErrorSummary t={t} error={form.error} />
        <CategoryFields ctx={ctx} form={form} v={v} withCode={false} />
        <Field t={t} name="position" type="number" min={0} max={10000} label={t('cc.services.position')} errors={form.fields} value={v.position ?? '0'} />
        <Button variant="primary">{t('cc.services.save')}</Button>
      </form>
    </OperatorPage>
  );
}
