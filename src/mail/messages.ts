// The development outbox page's texts (src/mail/dev-routes.tsx); src/messages.ts assembles the catalogs.
import type { MessagesOf } from '../i18n/index.ts';

export const mailEn = {
  'outbox.title': 'Mail outbox (development)',
  'outbox.empty': 'No mails yet.',
  'outbox.to': 'To',
  'outbox.subject': 'Subject',
  'outbox.state': 'State',
  'outbox.created': 'Queued',
} as const;

export const mailJa = {
  'outbox.title': '送信メール一覧(開発用)',
  'outbox.empty': 'メールはまだありません。',
  'outbox.to': '宛先',
  'outbox.subject': '件名',
  'outbox.state': '状態',
  'outbox.created': '登録日時',
} as const satisfies MessagesOf<typeof mailEn>;

declare module '../i18n/index.ts' {
  interface Messages extends MessagesOf<typeof mailEn> {}
}
