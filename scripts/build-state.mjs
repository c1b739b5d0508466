// Whether dist/ (compiled JavaScript, `npm run build`) is as new as everything it is built from.
// Shared by the build, `npm start` and the CLI launcher: production runs the compiled code, and a
// source tree newer than its build is built again first (issue 19 §5).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, '.build-stamp');

/** The newest modification time (ms) of the build's inputs: src/ (tests too, cheap to include) and the build settings. */
export function newestInput() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, 'src'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
    try { newest = Math.max(newest, statSync(join(ROOT, f)).mtimeMs); } catch { /* absent: not an input */ }
  }
  return newest;
}

/** True when dist/ exists and was stamped after the newest input changed. */
export function buildIsFresh() {
  try {
    return statSync(STAMP).mtimeMs >= newestInput();
  } catch {
    return false;
  }
}
