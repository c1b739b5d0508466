// The help section as data (issue 16): topics made of catalog keys, so every word is in ja and en
// and the view stays one small renderer. Store links are the apps' official store pages (seed 000:
// «Google Authenticator or Microsoft Authenticator … Please click here for installation»).
import type { MessageKey } from '../i18n/index.ts';

export const HELP_TOPICS = ['password', 'authenticator', 'backup-codes', 'mail-otp', 'locked-out', 'trusted-networks', 'faq'] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

export type HelpBlock =
  | { h2: MessageKey; id: string }
  | { p: MessageKey }
  | { steps: MessageKey[] }
  | { links: { href: string; label: MessageKey }[] }
  | { qa: [MessageKey, MessageKey][] };

export interface HelpPage { title: MessageKey; summary: MessageKey; blocks: HelpBlock[] }

export const STORE_LINKS = {
  googleIos: 'https://apps.apple.com/app/google-authenticator/id388497605',
  googleAndroid: 'https://play.google.com/store/apps/details?id=com.google.android.apps.authenticator2',
  microsoftIos: 'https://apps.apple.com/app/microsoft-authenticator/id983156458',
  microsoftAndroid: 'https://play.google.com/store/apps/details?id=com.azure.authenticator',
} as const;

export const HELP: Record<HelpTopic, HelpPage> = {
  password: {
    title: 'help.password.title', summary: 'help.password.summary',
    blocks: [
      { h2: 'help.password.h_steps', id: 'steps' },
      { steps: ['help.password.s1', 'help.password.s2', 'help.password.s3', 'help.password.s4'] },
      { h2: 'help.password.h_name', id: 'name' },
      { p: 'help.password.name' },
      { p: 'help.password.attempts' },
      { h2: 'help.password.h_rules', id: 'rules' },
      { p: 'help.password.rules' },
    ],
  },
  authenticator: {
    title: 'help.authenticator.title', summary: 'help.authenticator.summary',
    blocks: [
      { h2: 'help.authenticator.h_install', id: 'install' },
      { p: 'help.authenticator.install' },
      { links: [
        { href: STORE_LINKS.googleIos, label: 'help.authenticator.google_ios' },
        { href: STORE_LINKS.googleAndroid, label: 'help.authenticator.google_android' },
        { href: STORE_LINKS.microsoftIos, label: 'help.authenticator.microsoft_ios' },
        { href: STORE_LINKS.microsoftAndroid, label: 'help.authenticator.microsoft_android' },
      ] },
      { p: 'help.authenticator.other' },
      { h2: 'help.authenticator.h_setup', id: 'setup' },
      { steps: ['help.authenticator.s1', 'help.authenticator.s2', 'help.authenticator.s3', 'help.authenticator.s4'] },
      { h2: 'help.authenticator.h_login', id: 'login' },
      { p: 'help.authenticator.login' },
      { p: 'help.authenticator.new_phone' },
    ],
  },
  'backup-codes': {
    title: 'help.backup.title', summary: 'help.backup.summary',
    blocks: [{ p: 'help.backup.p1' }, { p: 'help.backup.p2' }, { p: 'help.backup.p3' }],
  },
  'mail-otp': {
    title: 'help.mail_otp.title', summary: 'help.mail_otp.summary',
    blocks: [{ p: 'help.mail_otp.p1' }, { p: 'help.mail_otp.p2' }, { p: 'help.mail_otp.p3' }, { p: 'help.mail_otp.p4' }],
  },
  'locked-out': {
    title: 'help.locked.title', summary: 'help.locked.summary',
    blocks: [
      { h2: 'help.locked.h_link', id: 'link' }, { p: 'help.locked.link' },
      { h2: 'help.locked.h_lock', id: 'lock' }, { p: 'help.locked.lock' },
      { h2: 'help.locked.h_phone', id: 'phone' }, { p: 'help.locked.phone' },
      { h2: 'help.locked.h_password', id: 'password' }, { p: 'help.locked.password' },
    ],
  },
  'trusted-networks': {
    title: 'help.trusted.title', summary: 'help.trusted.summary',
    blocks: [{ p: 'help.trusted.p1' }, { p: 'help.trusted.p2' }, { p: 'help.trusted.p3' }],
  },
  faq: {
    title: 'help.faq.title', summary: 'help.faq.summary',
    blocks: [{ qa: [
      ['help.faq.q1', 'help.faq.a1'], ['help.faq.q2', 'help.faq.a2'], ['help.faq.q3', 'help.faq.a3'],
      ['help.faq.q4', 'help.faq.a4'], ['help.faq.q5', 'help.faq.a5'],
    ] }],
  },
};

export function isHelpTopic(v: string): v is HelpTopic {
  return (HELP_TOPICS as readonly string[]).includes(v);
}
