// RFC 5545 text rules of the calendar writer, read back by an independent parser (ical.js):
// escaping (§3.3.11), folding at 75 octets without splitting a UTF-8 character (§3.1), UTC times.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { calendarText, escapeText, foldLine, utc, type MaintEvent } from '../ical.ts';
import { atomText } from '../atom.ts';

const T = Date.UTC(2026, 11, 3, 6, 0, 0);
const event = (o: Partial<MaintEvent> = {}): MaintEvent => ({
  uid: 'n1@portal.example.com', sequence: 3, stamp: T, start: T, end: T + 3_600_000, summary: 's', description: 'd',
  organizer: 'mailto:noc@example.com', provider: 'portal.example.com', account: 'A', maintenanceId: 'n1',
  objectIds: ['N000000001', 'N000000002'], impact: 'OUTAGE', status: 'IN-PROCESS', ...o,
});

describe('iCalendar writer (BCOP MAINTNOTE)', () => {
  it('escapes backslash, semicolon, comma and newlines; drops other control characters', () => {
    assert.equal(escapeText('a\\b;c,d\ne\r\nf\u0007'), 'a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets and never inside a character; ical.js reads the same text back', () => {
    const summary = `${'工事'.repeat(40)}😀;,\\${'x'.repeat(100)}`;
    const text = calendarText({ name: 'cal', events: [event({ summary, description: 'line 1\nline 2, more; and \\ end' })] });
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
    assert.ok(!text.includes('\uFFFD'));
    const ev = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
    assert.equal(ev.getFirstPropertyValue('summary'), summary);
    assert.equal(ev.getFirstPropertyValue('description'), 'line 1\nline 2, more; and \\ end');
    assert.deepEqual(ev.getAllProperties('x-maintnote-object-id').map((p) => p.getFirstValue()), ['N000000001', 'N000000002']);
    assert.equal(ev.getFirstPropertyValue('x-maintnote-status'), 'IN-PROCESS');
    assert.equal(ev.getFirstPropertyValue('status'), 'CONFIRMED', "VEVENT's own STATUS has three values");
    assert.equal((ev.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime(), T);
    assert.equal((ev.getFirstPropertyValue('dtstart') as ICAL.Time).zone?.tzid, 'UTC');
  });

  it('writes the properties the BCOP requires, CRLF line ends', () => {
    const text = calendarText({ name: 'cal', events: [event()] });
    for (const p of ['UID', 'SEQUENCE', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'ORGANIZER', 'X-MAINTNOTE-PROVIDER', 'X-MAINTNOTE-ACCOUNT', 'X-MAINTNOTE-MAINTENANCE-ID', 'X-MAINTNOTE-OBJECT-ID', 'X-MAINTNOTE-IMPACT']) {
      assert.match(text, new RegExp(`\\r\\n${p}[:;]`), p);
    }
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'no bare LF');
  });

  it('utc() writes the UTC form', () => {
    assert.equal(utc(T), '20261203T060000Z');
    assert.equal(foldLine('short'), 'short');
  });

  it('Atom text escapes markup and drops characters XML forbids', () => {
    const xml = atomText({ id: 'urn:x', title: '<b>&"\'', selfUrl: 'https://x/a?b=1&c=2', siteUrl: 'https://x', lang: 'en', updated: T,
      entries: [{ id: 'urn:e', title: '</title><script>', summary: 'a\u0001b', url: 'https://x/e', updated: T, published: T }] });
    assert.ok(!xml.includes('<script>') && !xml.includes('<b>'));
    assert.match(xml, /&lt;\/title&gt;&lt;script&gt;/);
    assert.match(xml, /href="https:\/\/x\/a\?b=1&amp;c=2"/);
    assert.ok(!xml.includes('\u0001'));
  });
});
