// Screenshots of a passkey during the 2-step setup (issue 23 item 1): the TOTP setup page with
// «パスキーを登録», the registration page of the detour, and the TOTP setup once the passkey is held,
// in ja/en at 375 px and 1280 px, for a person to look at. Not a test.
// Usage: node --import tsx scripts/screenshots-passkey-setup.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { screenshotKit } from './screenshot-kit.ts';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { Browser } from '../test/helpers/client.ts';
import { completeFirstLogin, givenUser } from '../test/helpers/scenario.ts';
import { formActionById, passkeyOptionsOn, SoftAuthenticator } from '../test/helpers/passkey-authenticator.ts';

const PW = 'Kx7#mPq2vLa9';
const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t: fakeT, cleanups, cleanup, shoot } = screenshotKit(outDir, 'passkey-setup');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', fakeT);
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const lang of ['ja', 'en'] as const) {
    // Up to the TOTP setup over HTTP; Chromium takes the flow's cookies from there.
    const u = await givenUser(app.ctx, { lang });
    const b = new Browser(app.url);
    await completeFirstLogin(b, u, PW);
    await b.get('/login');
    const setup = await b.follow(await b.post('/login', { loginId: u.loginId, password: PW }));
    const flow = formActionById(setup.body, 'passkey-setup-form').replace(/\/passkey\/setup$/, '');
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    await context.addCookies([...b.jar].map(([name, value]) => ({ name, value, url: app.url })));
    const page = await context.newPage();
    await page.goto(`${app.url}${flow}`);
    await shoot(page, `totp-setup-offer-${lang}`);
    await page.locator('#passkey-setup').click();
    await page.locator('#passkey-register-form').waitFor({ state: 'visible' });
    await shoot(page, `register-${lang}`);
    // The ceremony by the software authenticator over HTTP (same flow cookie), then the page again.
    const reg = await b.get(flow);
    const key = new SoftAuthenticator({ origin: app.url, counter: 1, synced: true });
    await b.post(formActionById(reg.body, 'passkey-register-form'), { credential: JSON.stringify(key.register(passkeyOptionsOn(reg.body, 'passkey-register-form') as never)), label: 'phone' });
    await page.goto(`${app.url}${flow}`);
    await shoot(page, `totp-setup-held-${lang}`);
    await context.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
