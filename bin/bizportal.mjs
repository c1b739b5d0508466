#!/usr/bin/env node
// `npx bizportal …`: the operator CLI (src/cli/main.ts) run through tsx, resolved from this package
// so it works from any working directory. Same process: exit status and signals pass straight through.
import { register } from 'tsx/esm/api';

register();
const { runProcess } = await import('../src/cli/main.ts');
await runProcess();
