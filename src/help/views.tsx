// Help pages: headings, landmarks, every word from the catalogs with the profile's name; no script.
import { Layout, type PageCtx } from '../web/views/layout.tsx';
import { PageHeader } from '../web/views/components.ts';
import { HELP, HELP_TOPICS, type HelpBlock, type HelpTopic } from './content.ts';

function Block({ ctx, block }: { ctx: PageCtx; block: HelpBlock }) {
  const { t } = ctx;
  const portal = { portal: t('app.name') };
  if ('h2' in block) return <h2 id={block.id}>{t(block.h2, portal)}</h2>;
  if ('p' in block) return <p>{t(block.p, portal)}</p>;
  if ('steps' in block) return <ol class="steps">{block.steps.map((k) => <li>{t(k, portal)}</li>)}</ol>;
  if ('links' in block) {
    return <ul class="links">{block.links.map((l) => <li><a href={l.href} rel="noopener noreferrer">{t(l.label, portal)}</a></li>)}</ul>;
  }
  return <dl class="faq">{block.qa.map(([q, a]) => <><dt>{t(q, portal)}</dt><dd>{t(a, portal)}</dd></>)}</dl>;
}

export function HelpIndexPage({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const q = ctx.portal.query;
  return (
    <Layout ctx={ctx} title={t('help.title')}>
      <PageHeader title={t('help.title')} lead={t('help.intro', { portal: t('app.name') })} />
      <nav aria-labelledby="help-topics">
        <h2 id="help-topics">{t('help.topics')}</h2>
        <ul class="topics">
          {HELP_TOPICS.map((id) => (
            <li><a href={`/help/${id}${q}`}>{t(HELP[id].title)}</a><span class="hint">{t(HELP[id].summary)}</span></li>
          ))}
        </ul>
      </nav>
      <p class="muted">{t('help.contact')}</p>
    </Layout>
  );
}

export function HelpTopicPage({ ctx, topic }: { ctx: PageCtx; topic: HelpTopic }) {
  const { t } = ctx;
  const page = HELP[topic];
  return (
    <Layout ctx={ctx} title={t(page.title)}>
      <p class="aside"><a href={`/help${ctx.portal.query}`}>{t('help.back')}</a></p>
      {/* Named by its title (aria-label: PageHeader's h1 carries no id to point at). */}
      <article aria-label={t(page.title)}>
        <PageHeader title={t(page.title)} />
        {page.blocks.map((b) => <Block ctx={ctx} block={b} />)}
      </article>
      <p class="muted">{t('help.contact')}</p>
    </Layout>
  );
}
