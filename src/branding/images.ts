// What a logo or a favicon may be (issue 20 item 2): the type is decided by the content's signature
// (magic bytes), never by the file name or the declared type. SVG is text that a browser could run:
// one with scripts, event handlers, foreign content, entities or external references is refused,
// and what passes is still served with a CSP that allows no script (routes.ts), as an <img> only.

export type ImageKind = 'logo' | 'favicon';
export const IMAGE_LIMITS: Record<ImageKind, { maxBytes: number; maxLabel: string; types: readonly string[] }> = {
  logo: { maxBytes: 256 * 1024, maxLabel: '256 KiB', types: ['image/png', 'image/svg+xml', 'image/webp'] },
  favicon: { maxBytes: 64 * 1024, maxLabel: '64 KiB', types: ['image/png', 'image/x-icon', 'image/svg+xml'] },
};
/** For messages: the kinds of file each takes, as people name them. */
export const IMAGE_FORMATS: Record<ImageKind, string> = { logo: 'PNG, SVG, WebP', favicon: 'PNG, ICO, SVG' };

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ICO = Buffer.from([0x00, 0x00, 0x01, 0x00]);

/** The content type by signature, or null when it is none we take. */
export function sniffImageType(data: Buffer): string | null {
  if (data.subarray(0, 8).equals(PNG)) return 'image/png';
  if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (data.length >= 6 && data.subarray(0, 4).equals(ICO)) return 'image/x-icon';
  if (looksLikeSvg(data)) return 'image/svg+xml';
  return null;
}

function looksLikeSvg(data: Buffer): boolean {
  if (data.includes(0)) return false;
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  // An XML declaration, comments and a doctype may come before the root element.
  const head = text.replace(/^\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^>[]*>)\s*)*/i, '');
  return /^<svg[\s>]/i.test(head);
}

/** Why an SVG is refused, or null when it is plain drawing. */
export function unsafeSvg(data: Buffer): string | null {
  const text = data.toString('utf8');
  if (/<script\b/i.test(text)) return 'script';
  if (/<foreignObject\b/i.test(text)) return 'foreignObject';
  if (/<!ENTITY/i.test(text) || /<!DOCTYPE[^>]*\[/i.test(text)) return 'entity';
  if (/\son[a-z]+\s*=/i.test(text)) return 'event handler';
  if (/javascript:/i.test(text) || /data:\s*text\/html/i.test(text)) return 'script URL';
  // References to anything but a fragment of the same document (external images, fonts, styles).
  if (/(?:xlink:)?href\s*=\s*["']\s*(?!#)/i.test(text)) return 'external reference';
  if (/url\(\s*["']?\s*(?!#)/i.test(text) || /@import/i.test(text)) return 'external reference';
  if (/<(iframe|embed|object|audio|video|animate\w*|set|handler|listener)\b/i.test(text)) return 'active content';
  return null;
}

export type ImageProblem = { problem: 'too_large' } | { problem: 'type' } | { problem: 'svg_unsafe'; reason: string } | { problem: 'empty' };

/** Checks an upload; the content type it will be stored and served with, or the problem. */
export function checkImage(kind: ImageKind, data: Buffer): { ok: true; type: string } | ({ ok: false } & ImageProblem) {
  const limit = IMAGE_LIMITS[kind];
  if (data.length === 0) return { ok: false, problem: 'empty' };
  if (data.length > limit.maxBytes) return { ok: false, problem: 'too_large' };
  const type = sniffImageType(data);
  if (!type || !limit.types.includes(type)) return { ok: false, problem: 'type' };
  if (type === 'image/svg+xml') {
    const reason = unsafeSvg(data);
    if (reason) return { ok: false, problem: 'svg_unsafe', reason };
  }
  return { ok: true, type };
}
