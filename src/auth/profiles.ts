// Portal profiles (S0): branding and rules a user experiences. Configuration, not code forks.
import type { Lang, SecondFactor } from '../db/schema.ts';

export type IdentityField = 'loginId' | 'email' | 'name' | 'phone';

export interface PortalProfile {
  id: string;
  displayName: Record<Lang, string>;
  /** S2.1 / S4: what identity verification asks for. */
  identity: { firstLogin: IdentityField[]; reset: IdentityField[] };
  /** Name of a preset in src/auth/password/policy.ts. */
  passwordPolicy: string;
  /** S3.3: which second factors the profile offers at all. */
  secondFactors: SecondFactor[];
  /** S3.5: backup codes after TOTP enrolment. */
  backupCodes: boolean;
  helpUrl: string;
}

export const PROFILES: Record<string, PortalProfile> = {
  business: {
    id: 'business',
    displayName: { ja: 'ビジネスポータル', en: 'Business Portal' },
    identity: { firstLogin: ['email', 'name', 'phone'], reset: ['loginId', 'email', 'name', 'phone'] },
    passwordPolicy: 'business',
    secondFactors: ['totp', 'mail_otp'],
    backupCodes: true,
    helpUrl: '/help',
  },
  'partner-child': {
    id: 'partner-child',
    displayName: { ja: 'SDPFポータル', en: 'SDPF Portal' },
    identity: { firstLogin: ['loginId', 'email'], reset: ['loginId', 'email'] },
    passwordPolicy: 'partner-child',
    secondFactors: ['totp', 'mail_otp'],
    backupCodes: true,
    helpUrl: '/help',
  },
};

export function profileFor(id: string): PortalProfile {
  return PROFILES[id] ?? PROFILES.business!;
}
