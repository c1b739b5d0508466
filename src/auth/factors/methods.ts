// Which second factors a user may choose (S3.3), decided in one place from the organisation's preset:
// the methods its portal profile offers (src/auth/tenancy/presets.ts, `secondFactors`) and the
// organisation's own switches. What a method needs beyond being offered is one entry in METHODS,
// so a passkey method is a new entry there, not another `m === 'totp' || …` at each caller.
import type { Role, SecondFactor } from '../../db/schema.ts';
import type { PortalProfile } from '../tenancy/presets.ts';

/** The organisation's preset as far as second factors go. */
export interface MethodPreset {
  /** The methods the organisation's profile offers, in the order the selection screen shows them. */
  offered: readonly SecondFactor[];
  /** `organisation.mail_otp_disabled_at` is set: the organisation turned MailOTP off (SECURITY.md stance 2). */
  mailOtpOff: boolean;
}

export function methodPreset(profile: Pick<PortalProfile, 'secondFactors'>, org: { mail_otp_disabled_at: number | null }): MethodPreset {
  return { offered: profile.secondFactors, mailOtpOff: org.mail_otp_disabled_at !== null };
}

/** What each method asks of the user's role and of the preset, beyond being offered. */
const METHODS: Record<SecondFactor, { roles: readonly Role[]; on(p: MethodPreset): boolean }> = {
  totp: { roles: ['admin', 'general'], on: () => true },
  // S3.3 (seed 002): a general user is set to TOTP; only admins may take MailOTP, unless turned off.
  mail_otp: { roles: ['admin'], on: (p) => !p.mailOtpOff },
};

/** The methods a user with `role` may choose under `preset`, in the preset's order. */
export function allowedMethods(preset: MethodPreset, role: Role): SecondFactor[] {
  return preset.offered.filter((m) => Object.hasOwn(METHODS, m) && METHODS[m].roles.includes(role) && METHODS[m].on(preset));
}

/**
 * Issue 23 (S3.9): passkeys as a 2-step method — the organisation's own switch (`passkey_policy`
 * 'on' / 'off'), else the profile's default (on for `business`). They sit beside TOTP and MailOTP:
 * the login asks for a passkey first when the user holds one, with the other method one click away.
 */
export function passkeysAllowed(profile: Pick<PortalProfile, 'passkeys'>, org: { passkey_policy?: 'on' | 'off' | null }): boolean {
  return org.passkey_policy ? org.passkey_policy === 'on' : profile.passkeys;
}

/** Passwordless sign-in with a passkey: only where the organisation turned it on, and passkeys are allowed there. */
export function passkeySigninAllowed(profile: Pick<PortalProfile, 'passkeys'>, org: { passkey_policy?: 'on' | 'off' | null; passkey_signin_enabled_at?: number | null }): boolean {
  return passkeysAllowed(profile, org) && (org.passkey_signin_enabled_at ?? null) !== null;
}
