import { Layout, type PageCtx } from './layout.tsx';

export function ErrorPage({ ctx, message, fields }: { ctx: PageCtx; message: string; fields?: string[] | undefined }) {
  return (
    <Layout ctx={ctx} title={ctx.t('common.error_title')}>
      <h1>{ctx.t('common.error_title')}</h1>
      <div class="alert error" role="alert">
        <p>{message}</p>
        {fields && fields.length > 0 && <ul>{fields.map((f) => <li><code>{f}</code></li>)}</ul>}
      </div>
      <p><a href="/">{ctx.t('common.back')}</a></p>
    </Layout>
  );
}
