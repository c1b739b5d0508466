// Kept so files inside auth keep their imports; IP ranges live in the shared kernel (src/lib/cidr.ts),
// which the configuration (TRUSTED_PROXIES) uses too.
export * from '../../lib/cidr.ts';
