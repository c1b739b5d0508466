// The shared kernel: ids, tokens, digests, constant-time compare, clock, the address rules. Imports no domain module
// (docs/architecture.md; test/architecture/imports.test.ts fails on an edge out of src/lib/).
export { newId, randomToken } from './ids.ts';
export { constantTimeEqual, hmacHex, sha256Hex } from './digest.ts';
export { systemClock, type Clock } from './clock.ts';
export { ServiceBusy } from './busy.ts';
export { checkEmail, type EmailCheck } from './canonical.ts';
export { PollLoop } from './poll-loop.ts';
