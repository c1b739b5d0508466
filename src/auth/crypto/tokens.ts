// Kept so files inside auth keep their imports; the code lives in the shared kernel (src/lib/).
// Modules outside auth import src/lib/ directly (docs/architecture.md).
export { newId, randomToken } from '../../lib/ids.ts';
export { constantTimeEqual, hmacHex, sha256Hex } from '../../lib/digest.ts';
