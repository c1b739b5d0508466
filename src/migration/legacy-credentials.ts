// The imported legacy password hashes, as auth's login asks for them (issue 21 item 3), and the
// period of the migration that imported a user (the ticket origin rule of S9, item 4). Handed to auth by the composition root
// (src/app.ts: useLegacyCredentials), since auth sits below this module.
import type { LegacyCredentialSource } from '../auth/service.ts';
import { clearLegacyHash, legacyCredentialOf } from './store.ts';

export const legacyCredentials: LegacyCredentialSource = {
  async find(db, userId) {
    const r = await legacyCredentialOf(db, userId);
    return r?.legacy_password_hash ? { hash: r.legacy_password_hash, periodStartsAt: r.period_starts_at, periodEndsAt: r.period_ends_at } : null;
  },
  consumed: (db, userId) => clearLegacyHash(db, userId),
  async period(db, userId) {
    const r = await legacyCredentialOf(db, userId);
    return r ? { startsAt: r.period_starts_at, endsAt: r.period_ends_at } : null;
  },
};
