// WCAG 2.x contrast (relative luminance, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio) for the
// brand colour, and the small theme stylesheet it becomes. The brand colour carries white text
// (header, primary buttons) and is the link colour on the light page background, so it must reach
// AA (4.5:1) against both; a dark-mode variant is lightened until it passes on the dark background.

export const AA = 4.5;
export const WHITE = '#ffffff';
/** The light page background of the design system. */
export const LIGHT_BG = '#f4f6f9';
/** A dark background at the light end of the design system's dark range (#111827–#1a1f29), to be safe. */
export const DARK_BG = '#15191f';
/** Text on a light brand colour in dark mode. */
export const NEAR_BLACK = '#111418';

export function isHexColour(v: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(v);
}

function channels(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: readonly number[]): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c!))).toString(16).padStart(2, '0')).join('')}`;
}

export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Rounded down to two decimals, so a shown ratio never claims more than it is (4.4999 → 4.49). */
export function shownRatio(r: number): string {
  return (Math.floor(r * 100) / 100).toFixed(2);
}

export interface ContrastCheck { ok: boolean; withWhite: number; withPage: number; worst: number }

/** The brand colour against white text and against the light page background (links). */
export function checkBrandColour(hex: string): ContrastCheck {
  const withWhite = contrastRatio(hex, WHITE);
  const withPage = contrastRatio(hex, LIGHT_BG);
  const worst = Math.min(withWhite, withPage);
  return { ok: worst >= AA, withWhite, withPage, worst };
}

/** Mixes towards white (t > 0) or black (t < 0). */
function mix(hex: string, t: number): string {
  const target = t > 0 ? 255 : 0;
  const k = Math.abs(t);
  return toHex(channels(hex).map((c) => c + (target - c) * k));
}

/** The colour lightened step by step until it reaches AA on the dark background. */
export function darkModeVariant(hex: string): string {
  for (let t = 0; t <= 1.0001; t += 0.05) {
    const c = mix(hex, t);
    if (contrastRatio(c, DARK_BG) >= AA) return c;
  }
  return WHITE;
}

/** Text on a colour: white when it passes, else near-black (whichever contrasts more). */
export function textOn(hex: string): string {
  return contrastRatio(hex, WHITE) >= AA || contrastRatio(hex, WHITE) >= contrastRatio(hex, NEAR_BLACK) ? WHITE : NEAR_BLACK;
}

/**
 * The theme stylesheet of a (checked) brand colour: the four tokens the design system lets a brand
 * override (src/web/static/app.css), in :root and in the dark scheme. In the dark scheme the brand
 * stays a background under white text (it passes with white by the check); links take a variant
 * lightened until it passes on the dark background. `selector` scopes the tokens (the console's preview).
 */
export function themeCss(hex: string, selector = ':root'): string {
  const colour = hex.toLowerCase();
  const block = (indent: string, link: string) => [
    `${indent}${selector} {`,
    `${indent}  --brand: ${colour};`,
    `${indent}  --brand-dark: ${mix(colour, -0.2)};`,
    `${indent}  --on-brand: ${textOn(colour)};`,
    `${indent}  --link: ${link};`,
    `${indent}}`,
  ];
  return [...block('', colour), '@media (prefers-color-scheme: dark) {', ...block('  ', darkModeVariant(colour)), '}', ''].join('\n');
}
