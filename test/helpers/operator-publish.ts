// Targets and sample requests of the console's notices, maintenance, terms and migrations routes
// (issue 26, helper C) for the operator authorisation matrix (test/http/operator-authz.test.ts) and
// the publish tests: each call gets a fresh notice, window and the current terms version, so one
// served request (a withdraw, a cancel, a publish) cannot spoil the next.
import type { TestApp } from './app.ts';
import { attachNoticeReport, publishNotice } from '../../src/portal/notices/service.ts';
import { scheduleMaintenance } from '../../src/portal/maintenance/service.ts';
import { currentTerms } from '../../src/auth/service.ts';

export interface PublishFx { noticeId: string; windowId: string; versionId: string; basedOn: string }
type Sample = { path?: (fx: PublishFx) => string; body?: (fx: PublishFx) => Record<string, string>; ok: number };

const HOUR = 3_600_000;
const SETUP = { userId: null, ip: '127.0.0.1' };

export async function publishFixtures(app: TestApp): Promise<PublishFx> {
  const now = app.ctx.now();
  const notice = await publishNotice(app.ctx.db, { kind: 'information', serviceIds: [], titleJa: 'お知らせ', titleEn: 'Notice', bodyJa: '本文', bodyEn: 'Body', startsAt: now + HOUR }, SETUP, now);
  // Issue 24: a report to download.
  await attachNoticeReport(app.ctx.db, notice.id, { filename: 'report.txt', data: Buffer.from('report') }, SETUP, now);
  // Far in the future and announced later: served requests never put the test app into maintenance.
  const w = await scheduleMaintenance(app.ctx.db, { startsAt: now + 200 * 24 * HOUR, endsAt: now + 201 * 24 * HOUR, announceFrom: now + 199 * 24 * HOUR, messageJa: '作業', messageEn: 'Work' }, SETUP, now);
  const terms = await currentTerms(app.ctx.db);
  return { noticeId: notice.id, windowId: w.id, versionId: terms?.id ?? 'none', basedOn: terms?.id ?? '' };
}

/** A JST date-time field `days` days from now. */
function jst(days: number): string {
  return new Date(Date.now() + days * 24 * HOUR + 9 * HOUR).toISOString().slice(0, 16);
}
const noticeBody = () => ({ kind: 'construction', titleJa: '工事', titleEn: 'Work', bodyJa: '本文', bodyEn: 'Body', startsAt: jst(300), endsAt: jst(301) });
const windowBody = () => ({ announceFrom: jst(299), startsAt: jst(300), endsAt: jst(300.5), messageJa: '作業', messageEn: 'Work' });
const termsBody = (fx: PublishFx) => ({ titleJa: '規約', titleEn: 'Terms', bodyJa: '第1条', bodyEn: 'Article 1', basedOn: fx.basedOn });

export const PUBLISH_SAMPLES: Record<string, Sample> = {
  'GET /operator/notices': { path: () => '/operator/notices?when=scheduled', ok: 200 },
  'GET /operator/notices/new': { ok: 200 },
  'POST /operator/notices/preview': { body: noticeBody, ok: 200 },
  'POST /operator/notices': { body: noticeBody, ok: 303 },
  'GET /operator/notices/:noticeId': { ok: 200 },
  'POST /operator/notices/:noticeId': { body: noticeBody, ok: 303 },
  'POST /operator/notices/:noticeId/preview': { body: noticeBody, ok: 200 },
  'POST /operator/notices/:noticeId/withdraw': { body: () => ({}), ok: 303 },
  'GET /api/operator/notices': { ok: 200 },
  'POST /api/operator/notices/preview': { body: noticeBody, ok: 200 },
  'POST /api/operator/notices': { body: noticeBody, ok: 201 },
  'GET /api/operator/notices/:noticeId': { ok: 200 },
  'POST /api/operator/notices/:noticeId': { body: noticeBody, ok: 200 },
  'POST /api/operator/notices/:noticeId/preview': { body: noticeBody, ok: 200 },
  'POST /api/operator/notices/:noticeId/withdraw': { body: () => ({}), ok: 200 },
  // Issue 24: status and post-incident report.
  'POST /operator/notices/:noticeId/status': { body: () => ({ status: 'completed' }), ok: 303 },
  'POST /api/operator/notices/:noticeId/status': { body: () => ({ status: 'cancelled' }), ok: 200 },
  'GET /operator/notices/:noticeId/report': { ok: 200 },
  'GET /api/operator/notices/:noticeId/report': { ok: 200 },
  'POST /operator/notices/:noticeId/report': { body: () => ({ filename: 'pir.txt', contentBase64: Buffer.from('pir').toString('base64') }), ok: 303 },
  'POST /api/operator/notices/:noticeId/report': { body: () => ({ filename: 'pir.txt', contentBase64: Buffer.from('pir').toString('base64') }), ok: 200 },
  'GET /operator/maintenance': { ok: 200 },
  'POST /operator/maintenance/preview': { body: windowBody, ok: 200 },
  'POST /operator/maintenance': { body: windowBody, ok: 303 },
  'GET /operator/maintenance/:windowId': { ok: 200 },
  'POST /operator/maintenance/:windowId': { body: windowBody, ok: 303 },
  'POST /operator/maintenance/:windowId/preview': { body: windowBody, ok: 200 },
  'POST /operator/maintenance/:windowId/cancel': { body: () => ({}), ok: 303 },
  'GET /api/operator/maintenance': { ok: 200 },
  'POST /api/operator/maintenance/preview': { body: windowBody, ok: 200 },
  'POST /api/operator/maintenance': { body: windowBody, ok: 201 },
  'GET /api/operator/maintenance/:windowId': { ok: 200 },
  'POST /api/operator/maintenance/:windowId': { body: windowBody, ok: 200 },
  'POST /api/operator/maintenance/:windowId/preview': { body: windowBody, ok: 200 },
  'POST /api/operator/maintenance/:windowId/cancel': { body: () => ({}), ok: 200 },
  'GET /operator/terms': { ok: 200 },
  'POST /operator/terms/diff': { body: termsBody, ok: 200 },
  'POST /operator/terms': { body: termsBody, ok: 303 },
  'GET /operator/terms/:versionId': { ok: 200 },
  'GET /api/operator/terms': { ok: 200 },
  'POST /api/operator/terms/diff': { body: termsBody, ok: 200 },
  'POST /api/operator/terms': { body: termsBody, ok: 201 },
  'GET /api/operator/terms/:versionId': { ok: 200 },
  'GET /operator/migrations': { ok: 200 },
  'GET /operator/migrations/users.csv': { ok: 200 },
  'GET /api/operator/migrations': { ok: 200 },
};

/** The route URL with this fixture's ids. */
export function publishPath(url: string, fx: PublishFx): string {
  return url.replace(':noticeId', fx.noticeId).replace(':windowId', fx.windowId).replace(':versionId', fx.versionId);
}
