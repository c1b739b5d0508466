// Each flow folder's mermaid diagram and its transition table are the same thing (issue 13 item 2):
// this fails when one is edited without the other (docs/flows.md had drifted before).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FLOWS, type FlowKind } from '../states.ts';

const FOLDER: Record<FlowKind, string> = { login: 'login', first_login: 'first-login', reset: 'reset', totp_reenrol: 'totp-reenrol', passkey_register: 'passkey-register' };

/** The arrows of the one stateDiagram-v2 block in a diagram.md, labels dropped. */
export function diagramEdges(md: string): { from: string; to: string }[] {
  const block = md.match(/```mermaid\n([\s\S]*?)```/);
  assert.ok(block, 'a mermaid block');
  assert.match(block[1]!, /^stateDiagram-v2\n/);
  return block[1]!.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).map((l) => {
    const m = l.match(/^(\[\*\]|\w+) --> (\[\*\]|\w+)(?::.*)?$/);
    assert.ok(m, `an arrow: ${l}`);
    return { from: m[1]!, to: m[2]! };
  });
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

export function compare(kind: FlowKind, md: string): void {
  const t = FLOWS[kind];
  const edges = diagramEdges(md);
  const trans = t.transitions as Record<string, readonly string[]>;
  assert.deepEqual(sorted(edges.filter((e) => e.from === '[*]').map((e) => e.to)), sorted(t.initial), `${kind}: [*] --> … are the initial states`);
  assert.deepEqual(
    sorted(edges.filter((e) => e.from !== '[*]' && e.to !== '[*]').map((e) => `${e.from} --> ${e.to}`)),
    sorted(Object.entries(trans).flatMap(([from, tos]) => tos.map((to) => `${from} --> ${to}`))),
    `${kind}: the arrows are the transitions`,
  );
  assert.deepEqual(sorted(edges.filter((e) => e.to === '[*]').map((e) => e.from)),
    sorted(Object.keys(trans).filter((s) => trans[s]!.length === 0)), `${kind}: --> [*] are the end states`);
  for (const [step, states] of Object.entries(t.steps as Record<string, readonly string[]>)) {
    for (const s of states) assert.ok(s in trans, `${kind}: step ${step} serves a state of the table (${s})`);
  }
}

describe('flow diagrams match their tables', () => {
  for (const kind of Object.keys(FLOWS) as FlowKind[]) {
    it(kind, () => {
      compare(kind, readFileSync(fileURLToPath(new URL(`../${FOLDER[kind]}/diagram.md`, import.meta.url)), 'utf8'));
    });
  }

  it('a diagram that drifted from its table fails', () => {
    const md = readFileSync(fileURLToPath(new URL('../login/diagram.md', import.meta.url)), 'utf8');
    assert.throws(() => compare('login', md.replace('  awaiting_mail_otp --> done', '  awaiting_mail_otp --> awaiting_totp')));
    assert.throws(() => compare('login', md.replace(/\n  \[\*\] --> awaiting_password:.*/, '')));
    assert.throws(() => compare('login', md.replace('done --> [*]', 'done --> session_skipped')));
  });
});
