// Ids are typed by operators as CLI option values, so none may start with «-» (read as an option)
// or «_»; a failing CI run had an organisation id «-…» refused by `contract create --org`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../tokens.ts';

describe('newId', () => {
  it('is 22 URL-safe characters (128 bits) and never starts with - or _ (10,000 draws)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = newId();
      assert.match(id, /^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 10_000);
  });
});
