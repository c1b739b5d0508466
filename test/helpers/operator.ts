// Operators for console tests (issue 26): the provider organisation, and operators of each role
// logged in through the real flows (first login, TOTP, terms), as customers are in helpers/admin.ts.
import type { OperatorRole } from '../../src/db/schema.ts';
import { ensureProviderOrganisation, setOperatorRole } from '../../src/auth/service.ts';
import type { TestApp } from './app.ts';
import { loggedIn, type Person } from './admin.ts';

export async function givenProvider(app: TestApp): Promise<string> {
  return (await ensureProviderOrganisation(app.ctx, 'Provider KK', { userId: null, ip: '127.0.0.1' })).org.id;
}

/** An operator of `role` with a full (aal2) session; the provider organisation is created if needed. */
export async function loggedInOperator(app: TestApp, role: OperatorRole, o: { name?: string } = {}): Promise<Person> {
  const providerId = await givenProvider(app);
  const p = await loggedIn(app, providerId, 'general', o);
  await setOperatorRole(app.ctx, p.u.id, role, { userId: null, ip: '127.0.0.1' });
  return p;
}
