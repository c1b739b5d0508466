#!/usr/bin/env node
// `npx bizportal …`: the operator CLI (src/cli/main.ts), resolved from this package so it works from
// any working directory. The compiled build (dist/, `npm run build`, made by `npm start`) when it is
// as new as the sources: it starts in a fraction of the time; otherwise the sources through tsx.
// Same process: exit status and signals pass straight through.
import { buildIsFresh } from '../scripts/build-state.mjs';

if (buildIsFresh()) {
  const { runProcess } = await import('../dist/cli/main.js');
  await runProcess();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runProcess } = await import('../src/cli/main.ts');
  await runProcess();
}
