// axe for the walk's extra looks. The first look of a page (light) gets test/helpers/browser.ts
// axeCheck, all WCAG 2.0/2.1 A and AA rules, at 1280 px and again at 390 px (a phone's layout can
// show other elements and scroll regions). In dark mode the markup is the same and only colours
// change, so the dark looks run the colour rules alone, with the same bar: 0 serious or critical.
// axe is already on the page (axeCheck loaded it; the looks switch without a reload).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

export async function axeColours(page: Page): Promise<void> {
  const blocking = await page.evaluate(async (rules) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, COLOUR_RULES);
  assert.deepEqual(blocking, [], `axe violations on ${page.url()}`);
}
