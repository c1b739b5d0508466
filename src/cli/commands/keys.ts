// `keys rotate-totp`: re-seals every secret sealed at rest under TOTP_KEY (TOTP secrets, matrix
// passwords, the OpenID Connect signing keys and client secrets, webhook keys: src/sealed-at-rest.ts),
// opening old ones with TOTP_OLD_KEYS.
// Procedure (docs/security.md): 1. every node gets TOTP_KEY=<new> and TOTP_OLD_KEYS=<old> (they can
// read both); 2. run this (resumable); 3. remove TOTP_OLD_KEYS.
import { keyId, rotateColumn } from '../../auth/service.ts';

import { SEALED_AT_REST } from '../../sealed-at-rest.ts';
import { intInRange } from '../args.ts';
import type { Command } from '../command.ts';

export const keysRotateTotpCommand: Command = {
  path: ['keys', 'rotate-totp'],
  summary: 're-encrypt every secret sealed at rest with TOTP_KEY (old keys from TOTP_OLD_KEYS); resumable',
  synopsis: '[--batch N]',
  help: [
    '--batch N    secrets re-encrypted per transaction (1 to 10000, default 200)',
    'Re-encrypts TOTP secrets, matrix passwords, OpenID Connect signing keys and client secrets, and webhook keys.',
    'Set TOTP_KEY to the new key and TOTP_OLD_KEYS to the retired key(s) (comma-separated, base64),',
    'on every node and here. Interrupted runs can simply be started again.',
  ],
  options: { batch: { type: 'string' } },
  prepare(values) {
    const batch = intInRange(values, 'batch', 200, 1, 10_000);
    return async (ctx, io) => {
      io.out(`re-encrypting the secrets sealed at rest under key ${keyId(ctx.config.totpKey)}`);
      let left = 0;
      for (const col of SEALED_AT_REST) {
        const r = await rotateColumn(ctx.db, ctx.config.totpKeyRing, col, {
          batch, onBatch: (p) => {
            io.out(`  ${col.name}: ${p.done} done, ${p.remaining} remaining`);
            io.progress?.(`${col.name}: ${p.done} done, ${p.remaining} remaining`);
          },
        });
        left += r.remaining;
        io.out(`${col.name}: ${r.done} re-encrypted, ${r.remaining} remaining`);
      }
      io.out(left === 0 ? 'done: nothing is left under another key' : `done: ${left} remaining (run again)`);
    };
  },
};
