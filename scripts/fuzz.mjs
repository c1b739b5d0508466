#!/usr/bin/env node
// `npm run fuzz -- --minutes N`: the fuzz suite of `npm test`, repeated for N minutes (default 5).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, db: { type: 'string', default: 'sqlite' } } });
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) { console.error('fuzz: --minutes must be a positive number'); process.exit(2); }
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/security/fuzz.test.ts'], {
  stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', FUZZ_MINUTES: String(minutes), FUZZ_RUNS: '50', TEST_DB: values.db },
});
process.exit(res.status ?? 1);
