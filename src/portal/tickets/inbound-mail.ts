// Issue 24 item 4: reply by mail. A participant answers a ticket mail; their mail system delivers
// the reply to the address in Reply-To (src/portal/tickets/reply-address.ts) through our inbound
// SMTP listener (INBOUND_SMTP_PORT, normally behind the provider's MX, which relays the reply
// domain to it). The reply is taken only when
//   - the recipient is a reply address of INBOUND_MAIL_DOMAIN naming an existing ticket,
//   - the From address is a participant's (author or colleague in copy), active, of the ticket's
//     organisation, and the address's MAC is that participant's for that ticket (so a sender who
//     knows only the ticket number, or uses a colleague's address, gets nothing in), and
//   - the ticket is not closed (reopening is a portal action).
// Otherwise the SMTP transaction is refused with 550 and the refusal audited; nothing is stored.
// The text above the quoted original is kept (attachments are not taken by mail: the portal's
// upload checks them). The listener keeps nothing in memory between messages: any node may run it.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { contractScope } from '../access.ts';
import { findTicketByNumber } from './store.ts';
import { participants } from './participants.ts';
import { parseReplyAddress, replyMacMatches } from './reply-address.ts';
import { replyAsCustomer } from './service.ts';

/** A reply larger than this is refused at the SMTP level (text replies are small). */
export const MAX_REPLY_BYTES = 512 * 1024;

export type ReplyVerdict =
  | { ok: true; ticketId: string; userId: string }
  | { ok: false; reason: 'not_a_reply_address' | 'unknown_ticket' | 'not_a_participant' | 'bad_mac' | 'closed' | 'empty' };

/** The reply's own text: the lines above the quoted original (mail clients' usual separators). */
export function replyText(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*>/.test(line)) break;
    // Attribution lines: «On … wrote:», Gmail's «2027年1月15日(金) 10:00 Name <a@b>:», Outlook's separators and headers.
    if (/^(On .+ wrote:|.+ wrote:|.+のメッセージ:|.+は書きました:|.*<[^<>\s]+@[^<>\s]+>\s*:|-{2,}\s*(Original Message|元のメッセージ|Forwarded message)\s*-{2,}|From: .+|差出人: .+)\s*$/i.test(line.trim())) break;
    out.push(line);
  }
  return out.join('\n').trim();
}

/**
 * Takes one reply: checks it as above and adds it to the ticket as the participant's message (the
 * ticket then waits for the provider, as a reply in the portal does). Refusals are audited.
 */
export async function acceptMailReply(ctx: AppContext, mail: { to: string; from: string; text: string; ip: string }): Promise<ReplyVerdict> {
  const verdict = await checkReply(ctx, mail);
  if (!verdict.ok) {
    const reason = verdict.reason;
    await audit(ctx.db, { event: 'ticket.mail_reply_refused', ip: mail.ip, detail: { reason, to: mail.to.slice(0, 200), from: mail.from.slice(0, 200) } }, ctx.now());
    return verdict;
  }
  return verdict;
}

async function checkReply(ctx: AppContext, mail: { to: string; from: string; text: string; ip: string }): Promise<ReplyVerdict> {
  const addr = parseReplyAddress(mail.to, ctx.config.inboundMail.domain);
  if (!addr) return { ok: false, reason: 'not_a_reply_address' };
  const ticket = await findTicketByNumber(ctx.db, addr.number);
  if (!ticket) return { ok: false, reason: 'unknown_ticket' };
  const from = mail.from.trim().toLowerCase();
  const people = (await participants(ctx.db, ticket)).filter((p) => p.disabled_at === null && p.organisation_id === ticket.organisation_id && p.email.toLowerCase() === from);
  if (!people.length) return { ok: false, reason: 'not_a_participant' };
  // Several participants may share an address: the MAC says which of them this address was made for.
  const person = people.find((p) => replyMacMatches(ctx.config.secretKey, ticket.id, p.id, addr.mac));
  if (!person) return { ok: false, reason: 'bad_mac' };
  const body = replyText(mail.text);
  if (!body) return { ok: false, reason: 'empty' };
  const scope = await contractScope(ctx.db, { userId: person.id, organisationId: person.organisation_id, role: person.role });
  try {
    await replyAsCustomer(ctx, scope, { id: person.id, name: person.name }, ticket.id, body.slice(0, 10_000), []);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'tickets.closed') return { ok: false, reason: 'closed' };
    throw err;
  }
  await audit(ctx.db, { event: 'ticket.replied_by_mail', actorUserId: person.id, subjectUserId: person.id, organisationId: ticket.organisation_id, ip: mail.ip, detail: { ticket: ticket.number } }, ctx.now());
  return { ok: true, ticketId: ticket.id, userId: person.id };
}

const REFUSAL_TEXT: Record<Exclude<ReplyVerdict, { ok: true }>['reason'], string> = {
  not_a_reply_address: 'No such recipient here',
  unknown_ticket: 'No such recipient here',
  // The same words for a stranger and a wrong address: nothing tells which tickets or people exist.
  not_a_participant: 'This reply cannot be accepted for this inquiry; please answer in the portal',
  bad_mac: 'This reply cannot be accepted for this inquiry; please answer in the portal',
  closed: 'The inquiry is closed; reopen it in the portal to answer',
  empty: 'The reply has no text above the quoted message',
};

/** The listener (one per node where INBOUND_SMTP_PORT is set). No AUTH: it only takes replies to our addresses. */
export async function startInboundMail(ctx: AppContext, o: { port: number; host: string }): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], size: MAX_REPLY_BYTES, banner: 'bizportal ticket replies',
    logger: false,
    // One recipient, and one of ours (the rest is checked after the headers are read).
    onRcptTo(address, session, cb) {
      if (session.envelope.rcptTo.length >= 1) return cb(Object.assign(new Error('One recipient per reply'), { responseCode: 452 }));
      if (!parseReplyAddress(address.address, ctx.config.inboundMail.domain)) return cb(Object.assign(new Error('No such recipient here'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then(async (parsed) => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return cb(Object.assign(new Error('Message too large'), { responseCode: 552 }));
        const from = (parsed.from as AddressObject | undefined)?.value[0]?.address ?? '';
        const to = session.envelope.rcptTo[0]?.address ?? '';
        const v = await acceptMailReply(ctx, { to, from, text: parsed.text ?? '', ip: session.remoteAddress });
        if (v.ok) return cb();
        cb(Object.assign(new Error(REFUSAL_TEXT[v.reason]), { responseCode: 550 }));
      }).catch((err: unknown) => {
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'inbound mail failed');
        cb(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
