#!/usr/bin/env node
// `npm run build`: TypeScript → dist/ (tsc with tsconfig.build.json: relative .ts imports become
// .js), the static files beside it, then a stamp that `npm start` and the CLI compare with the
// sources (build-state.mjs). `--if-stale` builds only when the stamp is older than a source.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DIST, ROOT, STAMP, buildIsFresh, newestInput } from './build-state.mjs';

export function build({ quiet = false } = {}) {
  const started = Date.now();
  const inputsAt = newestInput();
  if (!quiet) console.error('bizportal: compiling TypeScript to dist/ (npm run build)…');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error('bizportal: the build failed (see the TypeScript errors above); nothing was started');
    process.exit(res.status ?? 1);
  }
  rmSync(join(DIST, 'web', 'static'), { recursive: true, force: true });
  mkdirSync(join(DIST, 'web'), { recursive: true });
  cpSync(join(ROOT, 'src', 'web', 'static'), join(DIST, 'web', 'static'), { recursive: true });
  // Stamped with the inputs' time as seen before compiling: a source saved during the build is newer.
  writeFileSync(STAMP, `${new Date(inputsAt).toISOString()}\n`);
  if (!quiet) console.error(`bizportal: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  if (process.argv.includes('--if-stale') && buildIsFresh()) process.exit(0);
  build();
}
