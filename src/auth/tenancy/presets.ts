// Presets (S0, formerly «portal profiles», src/auth/profiles.ts): the branding and rules a user of an
// organisation experiences (identity fields, allowed 2-step methods, wording). Part of tenancy, inside
// identity (decision 041). Configuration, not code forks; the organisation row names its preset.
import type { Lang, SecondFactor } from '../../db/schema.ts';
import type { MessageKey } from '../../i18n/index.ts';

export type IdentityField = 'loginId' | 'email' | 'name' | 'phone';

export interface PortalProfile {
  id: string;
  /** The one product name of this profile: header, titles, footer, mails, TOTP issuer, terms. */
  displayName: Record<Lang, string>;
  /** S2.1 / S4: what identity verification asks for. */
  identity: { firstLogin: IdentityField[]; reset: IdentityField[] };
  /** Name of a preset in src/auth/password/policy.ts (an organisation may choose another one). */
  passwordPolicy: string;
  /** S3.3: which second factors the profile offers at all. */
  secondFactors: SecondFactor[];
  /** S3.5: backup codes after TOTP enrolment. */
  backupCodes: boolean;
  /** Issue 23 (S3.9): passkeys as a 2-step method unless the organisation says otherwise (`organisation.passkey_policy`). */
  passkeys: boolean;
  /** Where the help pages live: our own /help unless HELP_URL_<PROFILE> names the provider's. */
  helpUrl: string;
  /** Screen texts this profile words differently from the catalogs (seed 004's SDPF screens). */
  texts: Partial<Record<MessageKey, Record<Lang, string>>>;
}

export const DEFAULT_PROFILE = 'business';

export const PROFILES: Record<string, PortalProfile> = {
  business: {
    id: 'business',
    displayName: { ja: 'ビジネスポータル', en: 'Business Portal' },
    identity: { firstLogin: ['email', 'name', 'phone'], reset: ['loginId', 'email', 'name', 'phone'] },
    passwordPolicy: 'business',
    secondFactors: ['totp', 'mail_otp'],
    backupCodes: true,
    passkeys: true,
    helpUrl: '/help',
    texts: {},
  },
  'partner-child': {
    id: 'partner-child',
    displayName: { ja: 'SDPFポータル', en: 'SDPF Portal' },
    identity: { firstLogin: ['loginId', 'email'], reset: ['loginId', 'email'] },
    passwordPolicy: 'partner-child',
    secondFactors: ['totp', 'mail_otp'],
    backupCodes: true,
    // Off unless the organisation turns passkeys on (`org set --passkeys on`).
    passkeys: false,
    helpUrl: '/help',
    // Seed 004, the SDPF screens: «パスワードの再設定はこちら», «有効化», «戻る» after the backup codes.
    texts: {
      'login.forgot': { ja: 'パスワードの再設定はこちら', en: 'Forgot your password? Reset it here' },
      'mfa.mail_otp.submit': { ja: '有効化', en: 'Activate' },
      'mfa.backup_codes.ack': { ja: '戻る', en: 'Back' },
    },
  },
};

export function profileFor(id: string | null | undefined): PortalProfile {
  return (id ? PROFILES[id] : undefined) ?? PROFILES[DEFAULT_PROFILE]!;
}

/** A known profile id, or null: a `?portal=` value is only ever one of these (never an organisation). */
export function knownProfileId(v: unknown): string | null {
  return typeof v === 'string' && Object.hasOwn(PROFILES, v) ? v : null;
}

/** The catalog overrides of a profile in one language: its name as `app.name`, then its own wording. */
export function profileTexts(profile: PortalProfile, lang: Lang): Partial<Record<MessageKey, string>> {
  const out: Partial<Record<MessageKey, string>> = { 'app.name': profile.displayName[lang] };
  for (const [k, v] of Object.entries(profile.texts)) if (v) out[k as MessageKey] = v[lang];
  return out;
}

/** `?portal=<id>` for links that keep an anonymous visitor on this profile's pages; '' for the default. */
export function portalQuery(profile: PortalProfile): string {
  return profile.id === DEFAULT_PROFILE ? '' : `?portal=${encodeURIComponent(profile.id)}`;
}

/**
 * The help pages of a profile: HELP_URL_<PROFILE> (a provider hosting its own) or our /help, kept on
 * the profile's branding. Relative for pages; mails prefix PUBLIC_URL.
 */
export function helpUrlFor(profile: PortalProfile, overrides: Readonly<Record<string, string>>): string {
  return overrides[profile.id] ?? profile.helpUrl + portalQuery(profile);
}

/**
 * What the web layer needs of presets, handed to it by the app (src/web/plugin.ts knows no
 * presets, so web does not import auth): the public name of `?portal=`, and a page's look.
 */
export function presetPages(helpUrls: Readonly<Record<string, string>>) {
  return {
    known: knownProfileId,
    look(portalId: string | null, lang: Lang) {
      const profile = profileFor(portalId);
      return { id: profile.id, query: portalQuery(profile), helpUrl: helpUrlFor(profile, helpUrls), texts: profileTexts(profile, lang) };
    },
  };
}
