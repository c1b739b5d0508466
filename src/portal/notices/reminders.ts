// Reminders of maintenance (issue 24 item 2): for a construction or outage notice aimed at
// contracts, a mail REMINDER_LEAD_MS before it starts, one when it starts, and one when it ends
// (only where it has an end). Time-driven: a worker on every node polls; nothing that matters lives
// in memory. Each reminder is a row keyed by (notice, moment, due time), inserted in the same
// transaction that queues its mails: exactly one node's insert succeeds, so a reminder is sent
// once however many nodes poll. A change of period gives new due times, so the reminders re-arm by
// themselves; a cancelled (or completed, or withdrawn) notice sends no further reminders.
import type { Db } from '../../db/index.ts';
import { PollLoop } from '../../lib/index.ts';
import type { ReminderMoment } from '../../db/schema.ts';
import { findNotice, type NoticeRow } from './store.ts';
import { claimReminder, noticesWithReminderDue, recordReminderMails } from './subscriptions-store.ts';
import { mailNoticeEvent, type NoticeMailSetting } from './maintenance-mail.ts';

const HOUR = 3_600_000;
/** The «before» reminder: 24 hours ahead (decision 063). */
export const REMINDER_LEAD_MS = 24 * HOUR;
/**
 * A reminder more than this late (every node down, or a notice published or moved past its time)
 * is skipped rather than sent out of date: «starts in 24 hours» a day late misleads.
 */
export const REMINDER_GRACE_MS = 6 * HOUR;
/** Notices looked at per poll; a poll that finds this many polls again at once. */
const BATCH = 100;

export interface DueReminder { moment: ReminderMoment; dueAt: number }

/** The reminders of a notice due at `now`: their time has come, not longer than the grace ago, and not before it was published. */
export function dueReminders(n: Pick<NoticeRow, 'starts_at' | 'ends_at' | 'published_at' | 'status' | 'withdrawn_at'>, now: number, leadMs = REMINDER_LEAD_MS, graceMs = REMINDER_GRACE_MS): DueReminder[] {
  if (n.withdrawn_at !== null || n.status === 'cancelled' || n.status === 'completed') return [];
  const all: DueReminder[] = [{ moment: 'before', dueAt: n.starts_at - leadMs }, { moment: 'start', dueAt: n.starts_at }];
  if (n.ends_at !== null) all.push({ moment: 'end', dueAt: n.ends_at });
  return all.filter((r) => r.dueAt <= now && now - r.dueAt <= graceMs && r.dueAt >= n.published_at);
}

/**
 * Sends every reminder due at `now` that no node has sent: claims it and queues its mails in one
 * transaction (if the mails cannot be queued, the claim is undone and the next poll tries again).
 * Returns the reminders this call sent.
 */
export async function sendDueReminders(db: Db, s: NoticeMailSetting, now: number, o: { leadMs?: number; graceMs?: number } = {}): Promise<Array<DueReminder & { noticeId: string; mails: number }>> {
  const leadMs = o.leadMs ?? REMINDER_LEAD_MS;
  const graceMs = o.graceMs ?? REMINDER_GRACE_MS;
  const sent: Array<DueReminder & { noticeId: string; mails: number }> = [];
  const rows = await noticesWithReminderDue(db, now - graceMs, now, leadMs, BATCH);
  for (const row of rows) {
    for (const r of dueReminders(row, now, leadMs, graceMs)) {
      const mails = await db.transaction().execute(async (trx) => {
        // Read again inside the transaction: a cancellation or a new period since the scan wins.
        const current = await findNotice(trx, row.id);
        if (!current || !dueReminders(current, now, leadMs, graceMs).some((d) => d.moment === r.moment && d.dueAt === r.dueAt)) return null;
        if (!(await claimReminder(trx, row.id, r.moment, r.dueAt, now))) return null;
        const n = await mailNoticeEvent(trx, row.id, { kind: 'reminder', moment: r.moment, leadHours: Math.round(leadMs / HOUR) }, s, now);
        await recordReminderMails(trx, row.id, r.moment, r.dueAt, n);
        return n;
      });
      if (mails !== null) sent.push({ ...r, noticeId: row.id, mails });
    }
  }
  return sent;
}

export interface ReminderLog { info(o: object, m: string): void; error(o: object, m: string): void }

/** Polls for due reminders on an unref'd timer (src/lib/poll-loop.ts); `clock` is the app's. */
export class ReminderWorker {
  private readonly loop: PollLoop;
  constructor(private readonly o: { db: Db; setting: NoticeMailSetting; clock: () => number; pollMs?: number; log?: ReminderLog }) {
    this.loop = new PollLoop({
      pollMs: o.pollMs ?? 60_000,
      poll: async () => {
        const sent = await this.runOnce();
        if (sent.length) this.o.log?.info({ reminders: sent.length, mails: sent.reduce((a, r) => a + r.mails, 0) }, 'maintenance reminders queued');
        return false;
      },
      onError: (err) => this.o.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'reminder poll failed'),
    });
  }

  runOnce(): ReturnType<typeof sendDueReminders> {
    return sendDueReminders(this.o.db, this.o.setting, this.o.clock());
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
