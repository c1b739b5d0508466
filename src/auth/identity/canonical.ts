// The address and login-ID rules live in the shared kernel (src/lib/canonical.ts): the mail worker
// checks addresses with them too, and lib imports no domain. Auth's files keep this path.
export * from '../../lib/canonical.ts';
