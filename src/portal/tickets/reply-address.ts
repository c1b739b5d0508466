// Issue 24 item 4: reply by mail. Each participant of a ticket (its author, colleagues in copy) gets
// mails whose Reply-To is an address of their own for that ticket:
//
//     t<ticket number>.<mac>@<INBOUND_MAIL_DOMAIN>      e.g. tT004211967.4k2m…@reply.portal.example.com
//
// where mac = HMAC-SHA256(key, "ticket-reply\0<ticket id>\0<user id>"), 20 base32 characters (100
// bits), key derived from SECRET_KEY (HKDF, its own label). The address is a capability: it names
// one ticket and one person, cannot be made from the ticket number alone, and a mail to it is taken
// only when its From is that person's address (src/portal/tickets/inbound-mail.ts). Lower case and
// digits only, so a mail system that folds the local part's case does not break it.
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../../lib/index.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer, chars: number): string {
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5 && out.length < chars) { out += ALPHABET[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return out;
}

function replyKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'bizportal ticket reply address v1', 32));
}

export function replyMac(secretKey: Buffer, ticketId: string, userId: string): string {
  return base32(createHmac('sha256', replyKey(secretKey)).update(`ticket-reply\0${ticketId}\0${userId}`).digest(), 20);
}

/** The participant's reply address for the ticket, or null when reply by mail is off (no INBOUND_MAIL_DOMAIN). */
export function replyAddress(secretKey: Buffer, domain: string | null, ticket: { id: string; number: string }, userId: string): string | null {
  if (!domain) return null;
  return `t${ticket.number.toLowerCase()}.${replyMac(secretKey, ticket.id, userId)}@${domain}`;
}

/** The ticket number and mac of a reply address of `domain`; null for anything else. */
export function parseReplyAddress(address: string, domain: string | null): { number: string; mac: string } | null {
  if (!domain) return null;
  const m = /^t(t\d{9})\.([a-z2-7]{20})@(.+)$/i.exec(address.trim());
  if (!m || m[3]!.toLowerCase() !== domain) return null;
  return { number: m[1]!.toUpperCase(), mac: m[2]!.toLowerCase() };
}

export function replyMacMatches(secretKey: Buffer, ticketId: string, userId: string, mac: string): boolean {
  return constantTimeEqual(replyMac(secretKey, ticketId, userId), mac);
}
