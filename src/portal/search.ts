// The keyword rule of the contract list (S8: «全角または半角スペース区切りで複数条件の指定が可能»).
// Stored text and typed terms are folded the same way: Unicode NFKC (full-width letters and digits
// become ASCII, half-width kana become full-width kana, U+3000 becomes a space) then lower case.
// So `ｎ１２３` finds `N123` and `ｶﾅ` finds `カナ`. Terms are split on any white space, and every
// term must occur somewhere in the folded text (AND). See docs/decisions/030-contract-search.md.

export const MAX_TERMS = 10;
export const MAX_TERM_LENGTH = 100;

export function foldText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** The folded search text of a contract: its columns joined by a space (no term holds a space). */
export function contractSearchText(c: {
  number: string; groupNumber: string; site: string; memo: string; serviceNameJa: string; serviceNameEn: string;
}): string {
  return foldText([c.number, c.groupNumber, c.site, c.memo, c.serviceNameJa, c.serviceNameEn].join(' ')).replace(/\s+/g, ' ');
}

/** The distinct folded terms of a keyword field; control characters dropped; at most MAX_TERMS. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  // eslint-disable-next-line no-control-regex
  const folded = foldText(q).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const terms = [...new Set(folded.split(/\s+/u).filter(Boolean))].map((x) => x.slice(0, MAX_TERM_LENGTH));
  return terms.slice(0, MAX_TERMS);
}

/** A LIKE pattern that finds `term` anywhere, its own %, _ and \ matched literally (ESCAPE '\'). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
