// The workers' poll loop: a poll that reports more polls again at once, a failing poll is reported
// and the loop goes on, stop() waits for the poll in flight and no poll starts after it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PollLoop } from '../poll-loop.ts';

describe('PollLoop', () => {
  it('polls again at once while there is more, then waits pollMs; errors are reported and the loop goes on', async () => {
    const calls: number[] = [];
    const errors: unknown[] = [];
    let n = 0;
    const loop = new PollLoop({
      pollMs: 60_000,
      poll: async () => {
        n++;
        calls.push(n);
        if (n === 2) throw new Error('database away');
        return n < 4;
      },
      onError: (err) => errors.push(err),
    });
    loop.start();
    loop.start(); // a second start does not start a second loop
    for (let i = 0; i < 50 && n < 4; i++) await sleep(5);
    await sleep(30);
    // 1 (more) → 2 (throws: waits pollMs) — so the loop stops at 2 until pollMs; no third poll yet.
    assert.deepEqual(calls, [1, 2]);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /database away/);
    await loop.stop();
    assert.equal(loop.isStopped, true);
  });

  it('stop() waits for the poll in flight; nothing polls after it', async () => {
    let release!: () => void;
    let polls = 0;
    let finished = false;
    const loop = new PollLoop({
      pollMs: 1,
      poll: async () => {
        polls++;
        await new Promise<void>((r) => { release = r; });
        finished = true;
        return true;
      },
      onError: () => {},
    });
    loop.start();
    for (let i = 0; i < 50 && polls === 0; i++) await sleep(2);
    const stopping = loop.stop();
    let stopped = false;
    void stopping.then(() => { stopped = true; });
    await sleep(10);
    assert.equal(stopped, false, 'still waiting for the poll in flight');
    release();
    await stopping;
    assert.equal(finished, true);
    await sleep(20);
    assert.equal(polls, 1, 'no poll after stop');
    loop.start();
    await sleep(20);
    assert.equal(polls, 1, 'a stopped loop does not start again');
  });
});
