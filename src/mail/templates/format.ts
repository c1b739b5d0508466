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

/** The support block under every mail's footer (issue 20): portal name, contact, hours, company; '' when none is set. */
export function brandFooter(brand: {
  name: string | null; footerCompany: string | null;
  support: { email: string | null; phone: string | null; url: string | null; hours: string | null };
}, lang: MailLang): string {
  const s = brand.support;
  const label = lang === 'ja'
    ? { support: 'お問い合わせ先', hours: '受付時間', mail: 'メール', phone: '電話' }
    : { support: 'Support', hours: 'Hours', mail: 'E-mail', phone: 'Phone' };
  const lines = [
    s.email && `${label.mail}${lang === 'ja' ? ':' : ': '}${s.email}`,
    s.phone && `${label.phone}${lang === 'ja' ? ':' : ': '}${s.phone}`,
    s.url,
    s.hours && `${label.hours}${lang === 'ja' ? ':' : ': '}${s.hours}`,
  ].filter((l): l is string => !!l);
  if (!lines.length && !brand.footerCompany) return '';
  const rule = lang === 'ja' ? '────────────────────────────────' : '--------------------------------';
  const head = lines.length ? [`${brand.name ? `${brand.name} ` : ''}${label.support}`, ...lines.map((l) => `  ${l}`)] : [];
  // Line breaks inside a stored field cannot happen (the service refuses control characters); kept safe anyway.
  return `\n${rule}\n${[...head, ...(brand.footerCompany ? [`© ${brand.footerCompany}`] : [])].map((l) => l.replace(/[\r\n]+/g, ' ')).join('\n')}\n`;
}
