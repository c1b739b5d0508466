// An Atom feed (RFC 4287) of notices. Pure: entries in, XML out; every text is escaped.

export interface AtomEntry { id: string; title: string; summary: string; url: string; updated: number; published: number }

export function xmlEscape(s: string): string {
  // XML 1.0 forbids most control characters even escaped: they are dropped.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const iso = (ms: number) => new Date(ms).toISOString();

export function atomText(o: { id: string; title: string; selfUrl: string; siteUrl: string; lang: string; updated: number; entries: readonly AtomEntry[] }): string {
  const entries = o.entries.map((e) => `  <entry>
    <id>${xmlEscape(e.id)}</id>
    <title>${xmlEscape(e.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlEscape(e.url)}"/>
    <published>${iso(e.published)}</published>
    <updated>${iso(e.updated)}</updated>
    <summary type="text">${xmlEscape(e.summary)}</summary>
  </entry>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlEscape(o.lang)}">
  <id>${xmlEscape(o.id)}</id>
  <title>${xmlEscape(o.title)}</title>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(o.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xmlEscape(o.siteUrl)}"/>
  <updated>${iso(o.updated)}</updated>
  <author><name>${xmlEscape(o.title)}</name></author>
${entries}
</feed>
`;
}
