// `keys rotate-totp`: re-seals every TOTP secret with TOTP_KEY, opening old ones with TOTP_OLD_KEYS.
// Procedure (docs/security.md): 1. every node gets TOTP_KEY=<new> and TOTP_OLD_KEYS=<old> (they can
// read both); 2. run this (resumable); 3. remove TOTP_OLD_KEYS.
import { rotateTotpSecrets, keyId } from '../../auth/service.ts';
import { intInRange } from '../args.ts';
import type { Command } from '../command.ts';

export const keysRotateTotpCommand: Command = {
  path: ['keys', 'rotate-totp'],
  summary: 're-encrypt every TOTP secret with TOTP_KEY (old keys from TOTP_OLD_KEYS); resumable',
  synopsis: '[--batch N]',
  help: [
    '--batch N    secrets re-encrypted per transaction (1 to 10000, default 200)',
    'Set TOTP_KEY to the new key and TOTP_OLD_KEYS to the retired key(s) (comma-separated, base64),',
    'on every node and here. Interrupted runs can simply be started again.',
  ],
  options: { batch: { type: 'string' } },
  prepare(values) {
    const batch = intInRange(values, 'batch', 200, 1, 10_000);
    return async (ctx, io) => {
      io.out(`re-encrypting TOTP secrets under key ${keyId(ctx.config.totpKey)}`);
      const r = await rotateTotpSecrets(ctx.db, ctx.config.totpKeyRing, {
        batch, onBatch: (p) => {
          io.out(`  ${p.done} done, ${p.remaining} remaining`);
          io.progress?.(`${p.done} done, ${p.remaining} remaining`);
        },
      });
      io.out(`done: ${r.done} re-encrypted, ${r.remaining} remaining`);
    };
  },
};
