// Date-times in mails are shown in Japan time with the zone named, in both languages: the portal's
// users and support desks work in JST, and a mail read abroad must still be unambiguous.
import type { MailLang } from '../templates.ts';

const formats: Record<MailLang, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: 'short', day: 'numeric', weekday: 'short',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }),
};

/** ja: 2025年4月1日(火) 15:30(日本時間); en: Tue, 1 Apr 2025, 15:30 (Japan time, UTC+9). */
export function formatMailTime(epochMs: number, lang: MailLang): string {
  const text = formats[lang].format(epochMs);
  return lang === 'ja' ? `${text}(日本時間)` : `${text} (Japan time, UTC+9)`;
}
