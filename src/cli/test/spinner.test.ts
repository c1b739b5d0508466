// The CLI's spinner (issue 20 item 9): shown on a terminal for a command that takes longer than a
// moment, never on a pipe, never for a quick command, and gone before the command's own output ends.
// The terminal is a Writable that says it is a TTY and records what the spinner draws.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDialects } from '../../../test/helpers/db.ts';
import { runCli } from '../main.ts';
import { interactive, startActivity } from '../spinner.ts';
import { cli, operatorEnv } from './harness.ts';

function terminal(isTTY: boolean): Writable & { isTTY: boolean; written: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }) as Writable & { isTTY: boolean; written: () => string };
  w.isTTY = isTTY;
  w.written = () => chunks.join('');
  // The cursor methods of tty.WriteStream, as the escape codes a terminal receives.
  Object.assign(w, {
    columns: 80,
    cursorTo: (x: number) => w.write(x === 0 ? '\r' : `\u001b[${x + 1}G`),
    moveCursor: (_dx: number, dy: number) => w.write(dy < 0 ? `\u001b[${-dy}A` : dy > 0 ? `\u001b[${dy}B` : ''),
    clearLine: () => w.write('\u001b[2K'),
  });
  return w;
}

/** yocto-spinner reads process.env.CI itself: the test stands in for an operator's shell. */
function outsideCi(t: import('node:test').TestContext): void {
  const ci = process.env.CI;
  delete process.env.CI;
  t.after(() => { if (ci !== undefined) process.env.CI = ci; });
}

const SHELL = { TERM: 'xterm-256color' };

/** True once the terminal shows `re`, false after 5 s (a spinner that never draws). */
async function drawnWithin(tty: { written: () => string }, re: RegExp): Promise<boolean> {
  for (const end = Date.now() + 5000; Date.now() < end; await sleep(20)) if (re.test(tty.written())) return true;
  return false;
}

describe('CLI spinner', () => {
  it('is only for a terminal: not a pipe, not TERM=dumb, not CI', () => {
    assert.equal(interactive(terminal(true), SHELL), true);
    assert.equal(interactive(terminal(false), SHELL), false);
    assert.equal(interactive(terminal(true), { TERM: 'dumb' }), false);
    assert.equal(interactive(terminal(true), { ...SHELL, CI: 'true' }), false);
  });

  it('draws the label and the progress on a terminal while a slow command runs, and clears its line when it stops', async (t) => {
    outsideCi(t);
    const tty = terminal(true);
    const a = startActivity(tty, 'bizportal keys rotate-totp', { env: SHELL, delayMs: 10 });
    // Wait for each frame rather than a fixed time: on a loaded machine a timer fires late.
    assert.ok(await drawnWithin(tty, /bizportal keys rotate-totp …/), 'the label is drawn');
    a.progress('200 done, 800 remaining');
    assert.ok(await drawnWithin(tty, /bizportal keys rotate-totp: 200 done, 800 remaining/), 'the progress is drawn');
    await a.stop();
    const drawn = tty.written();
    const end = drawn.length;
    await sleep(150);
    assert.equal(tty.written().length, end, 'nothing is drawn after stop');
    assert.match(drawn.slice(-20), /\r|\u001b\[/, 'the last thing drawn erases the spinner line');
  });

  it('draws nothing for a command quicker than the delay, nor on a pipe', async (t) => {
    outsideCi(t);
    const quick = terminal(true);
    await startActivity(quick, 'bizportal org list', { env: SHELL, delayMs: 200 }).stop();
    const pipe = terminal(false);
    const slow = startActivity(pipe, 'bizportal org list', { env: SHELL, delayMs: 0 });
    await sleep(100);
    await slow.stop();
    await sleep(250);
    assert.equal(quick.written(), '');
    assert.equal(pipe.written(), '');
  });

  for (const dialect of testDialects()) {
    it(`${dialect}: a command's stdout is exactly the same with a spinner on the terminal's stderr`, async (t) => {
      outsideCi(t);
      const env = await operatorEnv(dialect, t);
      assert.equal((await cli(env, 'init')).code, 0);
      const plain = await cli(env, 'org', 'list', '--json');
      const tty = terminal(true);
      const out: string[] = [];
      const started: string[] = [];
      let stopped = 0;
      const code = await runCli(['org', 'list', '--json'], {
        out: (l) => out.push(l), err: (l) => assert.fail(l),
        activity: (label) => {
          started.push(label);
          const a = startActivity(tty, label, { env: SHELL, delayMs: 0 });
          return { progress: a.progress, stop: async () => { stopped++; await a.stop(); } };
        },
      }, env);
      assert.equal(code, 0);
      assert.deepEqual(out, plain.out);
      assert.deepEqual(started, ['bizportal org list']);
      assert.equal(stopped, 1, 'the spinner is stopped before runCli returns');
      const end = tty.written().length;
      await sleep(200);
      assert.equal(tty.written().length, end, 'nothing drawn after the command');
    });
  }
});
