// WCAG contrast arithmetic against known pairs, and the theme a colour becomes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBrandColour, contrastRatio, darkModeVariant, DARK_BG, shownRatio, textOn, themeCss } from '../contrast.ts';

describe('brand colour contrast (WCAG 2.x)', () => {
  it('computes known ratios', () => {
    assert.equal(contrastRatio('#000000', '#ffffff').toFixed(2), '21.00');
    assert.equal(contrastRatio('#ffffff', '#ffffff').toFixed(2), '1.00');
    assert.equal(shownRatio(contrastRatio('#777777', '#ffffff')), '4.47'); // 4.478…: shown rounded down
    assert.ok(contrastRatio('#777777', '#ffffff') < 4.5);
    assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54'); // the known lightest grey passing on white
  });

  it('accepts a dark blue and refuses yellow and mid grey, saying against what', () => {
    assert.equal(checkBrandColour('#0b4f8a').ok, true);
    const yellow = checkBrandColour('#ffcc00');
    assert.equal(yellow.ok, false);
    assert.ok(yellow.withWhite < 2);
    const grey = checkBrandColour('#777777');
    assert.equal(grey.ok, false);
    // #767676 passes on white but not on the page background #f4f6f9: both are required.
    const edge = checkBrandColour('#767676');
    assert.ok(edge.withWhite >= 4.5 && edge.withPage < 4.5 && !edge.ok);
  });

  it('makes a dark-mode variant that passes on the dark background, and readable text on each', () => {
    for (const c of ['#0b4f8a', '#1d1d1d', '#8a0b2e', '#004d40']) {
      const d = darkModeVariant(c);
      assert.ok(contrastRatio(d, DARK_BG) >= 4.5, `${c} → ${d}`);
      assert.ok(contrastRatio(d, textOn(d)) >= 4.5, `text on ${d}`);
    }
    assert.equal(textOn('#0b4f8a'), '#ffffff');
    const css = themeCss('#0B4F8A');
    assert.match(css, /:root \{\n {2}--brand: #0b4f8a;/);
    assert.match(css, /--on-brand: #ffffff;/);
    assert.match(css, /@media \(prefers-color-scheme: dark\)/);
    assert.doesNotMatch(css, /[<>{]\s*[<>]/);
  });
});
