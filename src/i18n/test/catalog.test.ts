// Issue 16 §2: a message shown with its parameters never leaves a raw «{seconds}» on screen. Every
// message of both catalogs, and every profile's own wording, is rendered with the parameters its
// English text names; nothing of the form {…} may remain, and ja names the same parameters as en.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageKey } from '../index.ts';
import { en, ja, translator } from '../../messages.ts';
import { LANGS } from '../index.ts';
import { PROFILES, profileTexts } from '../../auth/tenancy/presets.ts';

const PLACEHOLDER = /\{(\w+)\}/g;
const names = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]!).sort();
const keys = Object.keys(en) as MessageKey[];

describe('message catalogs (ja, en)', () => {
  it('ja names exactly the parameters en names, key by key', () => {
    const wrong = keys.filter((k) => names(ja[k]).join() !== names(en[k]).join()).map((k) => `${k}: en {${names(en[k])}} ja {${names(ja[k])}}`);
    assert.deepEqual(wrong, []);
  });

  it('every message rendered with its parameters leaves no {…}, in both languages and every profile', () => {
    const leftovers: string[] = [];
    for (const profile of Object.values(PROFILES)) {
      for (const lang of LANGS) {
        const t = translator(lang, profileTexts(profile, lang));
        for (const k of keys) {
          const params = Object.fromEntries(names(en[k]).map((p) => [p, 7]));
          const out = t(k, params);
          if (PLACEHOLDER.test(out)) leftovers.push(`${profile.id}/${lang} ${k}: ${out}`);
          PLACEHOLDER.lastIndex = 0;
        }
      }
    }
    assert.deepEqual(leftovers, []);
  });

  it('a profile overrides only wording, never adds parameters the catalog does not pass', () => {
    for (const profile of Object.values(PROFILES)) {
      for (const [k, v] of Object.entries(profile.texts)) {
        for (const lang of LANGS) assert.deepEqual(names(v![lang]), names(en[k as MessageKey]), `${profile.id} ${k} (${lang})`);
      }
    }
  });
});
