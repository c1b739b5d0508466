// RFC 8176 authentication method references (`amr`), recorded on each session at creation (issue 23
// item 5), so the portal and the OpenID Connect provider can tell a passkey session from a TOTP one.
// Values (docs/passkeys.md): pwd (password or the matrix password, S12), otp (TOTP, backup code,
// mailed code), mail (the code came by e-mail), hwk / swk (a passkey: device-bound / synced, i.e.
// backup eligible), user (the authenticator verified the user: WebAuthn UV), mfa (more than one factor).

/** How the session was reached: the first step (if any), the second one (if any). */
export interface AmrInput {
  /** 'pwd' for the password and the matrix password; 'passkey' for a passwordless sign-in. */
  first: 'pwd' | 'passkey';
  /** The second step's factor (totp | mail_otp | backup_code | passkey); null when skipped (S3.7). */
  factor: string | null;
  /** A passkey was used: was it synced (backup eligible)? */
  passkeySynced?: boolean;
}

function passkeyAmr(synced: boolean | undefined): string[] {
  return [synced ? 'swk' : 'hwk', 'user'];
}

export function amrFor(i: AmrInput): string[] {
  // A passkey with user verification is two factors at once: something held, something the user is or knows.
  if (i.first === 'passkey') return [...passkeyAmr(i.passkeySynced), 'mfa'];
  if (i.factor === null) return ['pwd'];
  if (i.factor === 'passkey') return ['pwd', ...passkeyAmr(i.passkeySynced), 'mfa'];
  if (i.factor === 'mail_otp') return ['pwd', 'otp', 'mfa', 'mail'];
  return ['pwd', 'otp', 'mfa'];
}

/** The stored column back to a list; a session older than migration 036 falls back on its factor. */
export function amrOfSession(s: { aal: string; factor: string | null; amr?: string | null }): string[] {
  if (s.amr) {
    try {
      const v = JSON.parse(s.amr) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch { /* below */ }
  }
  // Before migration 031 an aal2 session kept no factor: it was a one-time code then.
  return amrFor({ first: 'pwd', factor: s.aal === 'aal2' ? (s.factor ?? 'totp') : null });
}
