#!/usr/bin/env node
// `npm start`: the portal as production runs it, compiled JavaScript (dist/server.js), built first
// when dist/ is missing or older than a source (issue 19 §5). `npm run dev` runs the sources
// through tsx instead. Arguments pass through (`npm start -- --demo`).
import { buildIsFresh } from './build-state.mjs';
import { build } from './build.mjs';

if (!buildIsFresh()) build();
await import('../dist/server.js');
