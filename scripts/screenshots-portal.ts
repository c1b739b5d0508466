// Screenshots of the portal's operations pages — the ticket detail, the order timeline, the notices,
// the new-ticket form and the maintenance page — in Japanese and English, at 375 px and 1280 px,
// for a person to look at. Not a test. The data is the test world of test/helpers/portal-world.ts.
// Usage: node --import tsx scripts/screenshots-portal.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../test/helpers/portal-world.ts';
import { replyAsProvider } from '../src/portal/tickets/service.ts';
import { scheduleMaintenance } from '../src/portal/maintenance/service.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t: fakeT, cleanups, shoot, cleanup } = screenshotKit(outDir, 'portal');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  app.clock.now = T0;
  await givenWorld(app.ctx.db);
  await app.ctx.db.updateTable('ticket_message').set({ body: '昨日の 15:00 頃から、拠点Aの内線通話が数秒で切れます。\n再起動しても改善しません。ログを添付します。' }).where('id', '=', 'mA').execute();
  app.clock.advance(3_600_000);
  await replyAsProvider(app.ctx, { ticketNumber: 'T000000001', authorName: 'サポートデスク', body: 'お問い合わせありがとうございます。\n設定を確認しましたので、もう一度お試しください。' });
  const b = await sessionFor(app, 'aAdmin', 'A');
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const lang of ['ja', 'en'] as const) {
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    await context.addCookies([...b.jar].map(([name, value]) => ({ name, value, url: app.url })));
    const page = await context.newPage();
    for (const [name, path] of [['home', '/'], ['profile', '/profile'], ['ticket', '/portal/tickets/tA'], ['tickets', '/portal/tickets'], ['ticket-new', '/portal/tickets/new'], ['order', '/portal/orders/oA1'], ['orders', '/portal/orders'], ['notices', '/portal/notices']] as const) {
      await page.goto(`${app.url}${path}?lang=${lang}`);
      await shoot(page, `${lang}-${name}`);
    }
    await context.close();
  }
  await scheduleMaintenance(app.ctx.db, { startsAt: app.clock.now + 3_600_000, endsAt: app.clock.now + 6 * 3_600_000, announceFrom: app.clock.now - 1, messageJa: '認証方式変更のため、ビジネスポータルを停止します。', messageEn: 'Business Portal stops while the login method is changed.' }, { userId: null, ip: 'cli' }, app.clock.now);
  for (const lang of ['ja', 'en'] as const) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${app.url}/login?lang=${lang}`);
    await shoot(page, `${lang}-login-announced`);
    app.clock.advance(2 * 3_600_000);
    await page.goto(`${app.url}/login?lang=${lang}`);
    await shoot(page, `${lang}-maintenance`);
    app.clock.advance(-2 * 3_600_000);
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
