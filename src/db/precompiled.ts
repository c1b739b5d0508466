// Queries built and compiled once per database handle, run with new values each time (issue 19).
// Kysely builds an operation tree and compiles it to SQL on every call; for the few queries every
// request runs (the maintenance windows, a flow with its user), that building cost more CPU than the
// indexed lookup itself (docs/performance.md: visitNode, freeze, parseStringReference in the
// profile). The query is built with marker values in place of its arguments; compiling it shows
// where each marker went among the statement's parameters, so a call only swaps values in.
import type { CompiledQuery, Compilable } from 'kysely';
import type { Db } from './index.ts';

const MARK = '\u0000bizportal-arg-';

/** A marker for argument `i`: a string no real value can be (a NUL byte never reaches a query). */
function marker(i: number): string {
  return `${MARK}${i}\u0000`;
}

interface Compiled<R> { query: CompiledQuery<R>; slots: Array<number | null> }

/**
 * `build(db, args)` gets one marker per argument (typed as the values the query is built with) and
 * must use each as a plain value (`where(col, '=', arg)`, `limit(arg)`), not compute with it.
 * Returns a function that runs the compiled statement with real values and gives its rows.
 * A transaction compiles its own (a WeakMap per handle: the SQL may differ by dialect).
 */
export function precompiled<A extends readonly unknown[], R>(arity: A['length'], build: (db: Db, args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R[]> {
  const byHandle = new WeakMap<Db, Compiled<R>>();
  const compile = (db: Db): Compiled<R> => {
    const markers = Array.from({ length: arity }, (_, i) => marker(i)) as unknown as A;
    const query = build(db, markers).compile();
    const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length, -1)) : null));
    // Every argument must reach the statement exactly as given, once or more: else the build computed with it.
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`precompiled query: argument ${i} does not appear among the statement's parameters`);
    }
    return { query, slots };
  };
  return async (db: Db, ...args: A): Promise<R[]> => {
    const c = byHandle.get(db) ?? compile(db);
    byHandle.set(db, c);
    const parameters = c.slots.map((slot, i) => (slot === null ? c.query.parameters[i] : args[slot]));
    const r = await db.executeQuery<R>({ ...c.query, parameters });
    return r.rows;
  };
}
