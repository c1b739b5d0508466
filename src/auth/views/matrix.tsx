// Issue 22 (seed 001): the matrix password's pages. The grid is a table whose column headers are
// the cell letters and whose row headers are the row numbers, so the cell names (A1 … H6) the
// text field takes are on screen. src/web/static/matrix.js turns the registration grid into buttons
// (click order shown in each cell) and fills the field; without it the field is typed.
import type { FieldErrors } from '../../errors.ts';
import { Layout, type PageCtx } from '../../web/views/layout.tsx';
import { Csrf, ErrorSummary, Field, type FormError } from '../../web/views/form.tsx';
import type { GuideStep } from '../first-login/guide.ts';
import { GuideIndicator } from '../first-login/step-indicator.tsx';
import { Alert, Button, ButtonLink, Card, PageHeader } from '../../web/views/components.ts';
import { cellName } from '../matrix/grid.ts';
import { MatrixGrid as Grid } from '../../web/views/matrix-grid.tsx';

interface Shape { rows: number; cols: number }
const letter = (c: number) => String.fromCharCode(65 + c);
const last = (s: Shape) => cellName(s.rows * s.cols - 1, s.cols);

export function MatrixRegisterPage({ ctx, flowId, shape, grid, min, max, positions, error, fieldErrors, guide }: {
  ctx: PageCtx; flowId: string; shape: Shape; grid: string; min: number; max: number; positions?: string; error?: FormError | null; fieldErrors?: FieldErrors;
  guide?: GuideStep[] | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('matrix.register_title')} scripts={['matrix.js']}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('matrix.register_title')} lead={t('matrix.register_intro')} />
      <ErrorSummary t={t} error={error} />
      <p>{t('matrix.register_how', { min, max })}</p>
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/matrix`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <div id="matrix-picker" data-for="f-positions" data-min={String(min)} data-max={String(max)}
            data-chosen={t('matrix.chosen')} data-clear={t('matrix.clear')}>
            <Grid shape={shape} cellName={(i) => cellName(i, shape.cols)} caption={t('matrix.grid_caption', { lastCol: letter(shape.cols - 1), rows: shape.rows })} cell={(i) => grid[i] ?? ''} />
            <p class="hint" id="matrix-count" aria-live="polite" />
          </div>
          <Field t={t} name="positions" label={t('matrix.positions')} hint={t('matrix.positions_hint', { last: last(shape) })} value={positions ?? ''}
            required maxLength={2000} errors={fieldErrors} autocomplete="off" spellcheck={false} autocapitalize="characters" />
          <Button variant="primary">{t('matrix.register')}</Button>
        </form>
      </Card>
    </Layout>
  );
}

export function MatrixConfirmPage({ ctx, flowId, shape, positions, guide }: { ctx: PageCtx; flowId: string; shape: Shape; positions: number[]; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  const order = new Map(positions.map((p, k) => [p, k + 1]));
  return (
    <Layout ctx={ctx} title={t('matrix.confirm_title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('matrix.confirm_title')} lead={t('matrix.confirm_intro')} />
      <Grid shape={shape} cellName={(i) => cellName(i, shape.cols)} id="matrix-confirm" caption={t('matrix.confirm_caption')} cell={(i) => (order.has(i) ? String(order.get(i)) : '')} />
      <div class="actions">
        <form method="post" action={`/auth/flows/${flowId}/matrix/confirm`} data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <Button variant="primary">{t('matrix.confirm')}</Button>
        </form>
        <form method="post" action={`/auth/flows/${flowId}/matrix/redo`}>
          <Csrf token={ctx.csrf} />
          <Button>{t('matrix.redo')}</Button>
        </form>
      </div>
    </Layout>
  );
}

export function MatrixDonePage({ ctx, guide }: { ctx: PageCtx; guide?: GuideStep[] | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('matrix.done_title')}>
      <GuideIndicator t={t} steps={guide} />
      <PageHeader title={t('matrix.done_title')} />
      <Alert kind="success"><p>{t('matrix.done_body')}</p></Alert>
      <p><ButtonLink href={`/login/matrix${ctx.portal.query}`} variant="primary">{t('matrix.login_link')}</ButtonLink></p>
    </Layout>
  );
}

/** Seed 001 step 5: the e-mail address (or the login ID, which names one account when an address is shared). */
export function MatrixLoginPage({ ctx, flowId, error, fieldErrors, loginId }: { ctx: PageCtx; flowId: string; error?: FormError | null; fieldErrors?: FieldErrors; loginId?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('matrix.login_title')}>
      <PageHeader title={t('matrix.login_title')} lead={t('matrix.login_intro')} />
      <ErrorSummary t={t} error={error} />
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/matrix/start${ctx.portal.query}`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="loginId" label={t('matrix.login_id')} hint={t('matrix.login_id_hint')} value={loginId ?? ''} autocomplete="username" required maxLength={254} errors={fieldErrors}
            autoFocus spellcheck={false} autocapitalize="none" />
          <Button variant="primary">{t('matrix.send')}</Button>
        </form>
      </Card>
      <p class="aside"><a href={`/login${ctx.portal.query}`}>{t('login.heading')}</a></p>
    </Layout>
  );
}

/** Seed 001 step 6: a fresh matrix; the digits at the positions, in order. */
export function MatrixAnswerPage({ ctx, flowId, shape, grid, minutes, error }: { ctx: PageCtx; flowId: string; shape: Shape; grid: string; minutes: number; error?: FormError | null }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('matrix.answer_title')}>
      <PageHeader title={t('matrix.answer_title')} lead={t('matrix.answer_intro')} />
      <ErrorSummary t={t} error={error} />
      <Grid shape={shape} cellName={(i) => cellName(i, shape.cols)} id="matrix-challenge" caption={t('matrix.grid_caption', { lastCol: letter(shape.cols - 1), rows: shape.rows })} cell={(i) => grid[i] ?? ''} />
      <Card as="div">
        <form method="post" action={`/auth/flows/${flowId}/matrix/answer${ctx.portal.query}`} novalidate data-busy={t('guide.sending')}>
          <Csrf token={ctx.csrf} />
          <Field t={t} name="answer" type="password" label={t('matrix.answer')} hint={t('matrix.answer_hint', { minutes })} required maxLength={64}
            autocomplete="off" inputMode="numeric" autoFocus />
          <Button variant="primary">{t('matrix.send')}</Button>
        </form>
      </Card>
    </Layout>
  );
}
