// Screenshots of the OpenID Connect provider's pages (issue 18) — the consent screen, a refused
// contract, the sign-out confirmation and the signed-out page — in Japanese and English, at 375 px
// and 1280 px, for a person to look at. Not a test. Data: the test world of test/helpers/portal-world.ts.
// Usage: node --import tsx scripts/screenshots-oidc.ts [outDir]   (default ./screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startTestApp } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { givenWorld, sessionFor, T0 } from '../test/helpers/portal-world.ts';
import { registerClient, Rp, walk } from '../test/helpers/oidc.ts';
import { screenshotKit } from './screenshot-kit.ts';

const outDir = resolve(process.argv[2] ?? 'screenshots');
const { t, shoot, cleanup, cleanups } = screenshotKit(outDir, 'oidc');

try {
  await mkdir(outDir, { recursive: true });
  const app = await startTestApp('sqlite', t);
  app.clock.now = T0;
  await givenWorld(app.ctx.db);
  const { id, secret } = await registerClient(app.ctx, { serviceCode: 'colo', firstParty: false, name: 'コロケーション設定サイト' });
  const rp = await Rp.discover(app.url, id, secret);
  const b = await sessionFor(app, 'aGen', 'A');
  // A sign-in over HTTP (consent given), for the sign-out page's id_token_hint.
  const begun = await rp.begin();
  const asked = await walk(b, begun.url.href);
  const allow = await b.post(asked.res.body.match(/action="(\/oidc\/interaction\/[^"]+\/consent)"/)![1]!, { decision: 'allow' });
  const done = await walk(b, allow.body.match(/content="0;url=([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
  const tokens = await rp.finish(done.callback!, begun);
  const browser = await launchChromium((fn) => { cleanups.push(fn); });
  for (const lang of ['ja', 'en'] as const) {
    const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
    await context.addCookies([...b.jar].map(([name, value]) => ({ name, value, url: app.url })));
    await context.addCookies([{ name: 'bp_lang', value: lang, url: app.url }]);
    const page = await context.newPage();
    // Consent (a client that is not first-party; the contract is new to the grant) and a refused
    // contract (another organisation's).
    await page.goto((await rp.begin({ contract: 'N000000001', acr: lang === 'ja' ? undefined : 'aal2' })).url.href);
    await shoot(page, `${lang}-consent`);
    await page.goto((await rp.begin({ contract: 'N000000003' })).url.href);
    await shoot(page, `${lang}-refused`);
    // Sign-out confirmation, with the ID token of the sign-in made over HTTP above.
    const end = new URL('/oidc/session/end', app.url);
    end.searchParams.set('id_token_hint', tokens.id_token!);
    await page.goto(end.href);
    await shoot(page, `${lang}-logout`);
    await page.goto(`${app.url}/oidc/session/end/success`);
    await shoot(page, `${lang}-logged-out`);
    await context.close();
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await cleanup();
}
