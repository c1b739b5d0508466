// The matrix password's rules (issue 22, seed 001): grids from the CSPRNG, cell names, the 8–15
// range, the re-click rule, the answer check. Attack: a guessable grid, a lenient parser, a check
// that accepts a wrong or empty answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { answerMatches, cellIndex, cellName, expectedAnswer, newGrid, parsePositions, positionsFromClicks } from '../grid.ts';
import { openPositions, sealPositions } from '../store.ts';

const shape = { rows: 6, cols: 8, min: 8, max: 15 };
const names = (n: number) => Array.from({ length: n }, (_, i) => cellName(i, 8)).join(',');

describe('matrix grid', () => {
  it('draws rows × cols digits, different each time, every digit appearing', () => {
    const a = newGrid(6, 8);
    assert.match(a, /^\d{48}$/);
    const many = Array.from({ length: 50 }, () => newGrid(6, 8));
    assert.ok(new Set(many).size === 50);
    assert.equal(new Set(many.join('')).size, 10);
  });

  it('names cells column letter + row number, and reads them back (case and width forgiven)', () => {
    assert.equal(cellName(0, 8), 'A1');
    assert.equal(cellName(7, 8), 'H1');
    assert.equal(cellName(8, 8), 'A2');
    assert.equal(cellName(47, 8), 'H6');
    for (let i = 0; i < 48; i++) assert.equal(cellIndex(cellName(i, 8), 6, 8), i);
    assert.equal(cellIndex('h6', 6, 8), 47);
    assert.equal(cellIndex('Ｃ３', 6, 8), 18);
    for (const bad of ['I1', 'A7', 'A0', '1A', 'AA1', '', 'A-1', 'A01x']) assert.equal(cellIndex(bad, 6, 8), null, bad);
  });

  it('refuses 7 and 16 positions, takes 8 and 15', () => {
    assert.deepEqual(parsePositions(names(7), shape), { ok: false, error: 'too_few', count: 7 });
    assert.deepEqual(parsePositions(names(16), shape), { ok: false, error: 'too_many', count: 16 });
    assert.equal(parsePositions(names(8), shape).ok, true);
    assert.equal(parsePositions(names(15), shape).ok, true);
    assert.deepEqual(parsePositions('A1 B1 Z9', shape), { ok: false, error: 'unknown_cell', cell: 'Z9' });
  });

  it('a cell clicked again takes the later order (the earlier order disappears)', () => {
    assert.deepEqual(positionsFromClicks([1, 2, 1]), [2, 1]);
    assert.deepEqual(positionsFromClicks([5, 5, 5]), [5]);
    // 8 distinct cells with a repeat in between: still 8 positions, the repeated one last.
    const r = parsePositions('A1,B1,C1,A1,D1,E1,F1,G1,H1', shape);
    assert.deepEqual(r, { ok: true, positions: [1, 2, 0, 3, 4, 5, 6, 7] });
    // 9 clicks on 7 cells are 7 positions: refused.
    assert.equal(parsePositions('A1,B1,C1,D1,E1,F1,G1,A1,B1', shape).ok, false);
  });

  it('accepts the digits at the positions in order, and nothing else', () => {
    const grid = newGrid(6, 8);
    const positions = [47, 0, 12, 3, 3 + 8, 30, 31, 22];
    const right = expectedAnswer(grid, positions);
    assert.equal(right.length, 8);
    assert.equal(answerMatches(grid, positions, right), true);
    assert.equal(answerMatches(grid, positions, right.split('').join(' ')), true);
    const wrong = right.slice(0, 7) + String((Number(right[7]) + 1) % 10);
    assert.equal(answerMatches(grid, positions, wrong), false);
    assert.equal(answerMatches(grid, positions, right.slice(0, 7)), false);
    assert.equal(answerMatches(grid, positions, ''), false);
    assert.equal(answerMatches(grid, null, 'x'), false);
    assert.equal(answerMatches(grid, null, ''), false);
  });

  it('positions are sealed per user: another user\'s row or a tampered box does not open', () => {
    const key = randomBytes(32);
    const box = sealPositions(key, 'u1', { rows: 6, cols: 8, positions: [1, 2, 3] });
    assert.doesNotMatch(box, /\[1,2,3\]/);
    assert.deepEqual(openPositions([key], 'u1', box), { rows: 6, cols: 8, positions: [1, 2, 3] });
    assert.throws(() => openPositions([key], 'u2', box));
    assert.throws(() => openPositions([randomBytes(32)], 'u1', box));
  });
});
