// The migration period's boundaries (issue 21 "Tests": one second before and after the end).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { periodState } from '../period.ts';

describe('migration period', () => {
  const m = { period_starts_at: Date.UTC(2026, 3, 1), period_ends_at: Date.UTC(2026, 5, 1) };
  it('starts at its start and ends at its end (the end instant is after it)', () => {
    assert.equal(periodState(m, m.period_starts_at - 1000), 'before');
    assert.equal(periodState(m, m.period_starts_at), 'during');
    assert.equal(periodState(m, m.period_ends_at - 1000), 'during');
    assert.equal(periodState(m, m.period_ends_at), 'after');
    assert.equal(periodState(m, m.period_ends_at + 1000), 'after');
  });
  it('is unset until both ends are set', () => {
    assert.equal(periodState({ period_starts_at: null, period_ends_at: null }, 0), 'unset');
  });
});
