// A real SMTP server for tests (smtp-server + mailparser) on 127.0.0.1. It can be stopped and
// started again on the same port to play "SMTP down, then back", and can refuse chosen recipients.
import type { TestContext } from 'node:test';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId: string | undefined;
  /** The Reply-To addresses (issue 24: a ticket mail's reply address). */
  replyTo: string[];
  /** Attached files as received (issue 24: the maintenance mail's .ics). */
  attachments: Array<{ filename: string | undefined; contentType: string; content: Buffer }>;
  /** Header lines as received, lower-case names (issue 24: List-Unsubscribe, List-Unsubscribe-Post). */
  headerLines: Map<string, string>;
}

export interface TestSmtpOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Answer 550 to RCPT TO for these addresses (a permanent failure the sender sees). */
  rejectRecipient?: (address: string) => boolean;
  /** Wait this long before accepting each message (a slow server). */
  delayMs?: number;
  /** Stop the server when this test ends. */
  t?: TestContext;
}

export interface TestSmtp {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedMail[];
  /**
   * Messages whose DATA has begun, accepted or not yet. A message is in `received` before the
   * server answers 250, so once a sender has returned, `received` is final and
   * `dataStarted === received.length` says no delivery is still under way: what a test asserts
   * instead of sleeping to see whether a duplicate turns up.
   */
  readonly dataStarted: number;
  readonly running: boolean;
  /** Listens again on the same port (after stop()). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves with all received mails once `predicate` holds; rejects after `timeoutMs`. */
  waitFor(predicate: (mails: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
}

/** Plain SMTP without TLS: nodemailer's smtp:// only upgrades when the server offers STARTTLS. */
export function smtpUrlFor(port: number): string {
  return `smtp://127.0.0.1:${port}`;
}

/** A port that refuses connections (nothing listens on it once this resolves). */
export async function closedPort(): Promise<number> {
  const smtp = await startTestSmtp();
  await smtp.stop();
  return smtp.port;
}

export async function startTestSmtp(opts: TestSmtpOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  let port = opts.port ?? 0;
  let dataStarted = 0;

  const newServer = () => new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true, // no DNS lookups from tests
    // A pooled client keeps idle connections open; stop() closes them after this instead of 30 s.
    closeTimeout: 500,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (opts.rejectRecipient?.(address.address)) {
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, _session, callback) {
      dataStarted++;
      simpleParser(stream)
        .then(async (mail) => {
          if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
          received.push({
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId,
            replyTo: addresses(mail.replyTo),
            attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
            // The raw line after «Name:», unfolded: what a mail provider reads.
            headerLines: new Map(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()])),
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  const handle: TestSmtp = {
    get port() { return port; },
    get url() { return smtpUrlFor(port); },
    get running() { return server !== null; },
    get dataStarted() { return dataStarted; },
    received,
    async start() {
      if (server) return;
      const s = newServer();
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => { s.off('error', reject); resolve(); });
      });
      s.on('error', () => {}); // a client dropping mid-session is not a test failure
      port = (s.server.address() as AddressInfo).port;
      server = s;
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`waitFor: condition not met in ${timeoutMs} ms (${received.length} mails received)`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
  };
  await handle.start();
  opts.t?.after(() => handle.stop());
  return handle;
}

function addresses(to: AddressObject | AddressObject[] | undefined): string[] {
  const list = to === undefined ? [] : Array.isArray(to) ? to : [to];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}
