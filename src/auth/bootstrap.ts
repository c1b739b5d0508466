// First start on an empty database: an operator-visible way in (issue 2 §1). Creates the provider's
// own organisation (issue 26: where operators live, exactly one), a first customer organisation and portal admin (no default password: SECURITY.md item 34), publishes the default
// terms, and prints the admin's starting-guide link, which is also in the outbox. Lives in auth, not
// in the CLI, so the server starts without importing the CLI; both reach it through auth's service.
import type { AppContext } from '../context.ts';
import { registerUser } from './registration/service.ts';
import { DEFAULT_TERMS, currentTerms, publishTerms } from './terms/service.ts';
import { createOrganisation, listOrganisations } from './tenancy/organisations.ts';
import { countUsers } from './users/store.ts';
import { ensureProviderOrganisation } from './operators/service.ts';

/** The provider organisation's name on first start (BOOTSTRAP_PROVIDER_ORG). */
export function providerOrgName(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOOTSTRAP_PROVIDER_ORG || 'Provider';
}

export async function bootstrapIfEmpty(ctx: AppContext, print: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  // Keyed on "no user yet", and an organisation left by a failed earlier attempt is reused, so a
  // bootstrap that failed half-way (e.g. a bad BOOTSTRAP_ADMIN_EMAIL) can simply be run again.
  if ((await countUsers(ctx.db)) > 0) return false;
  const actor = { userId: null, ip: 'bootstrap' };
  const provider = await ensureProviderOrganisation(ctx, providerOrgName(env), actor);
  const org = (await listOrganisations(ctx.db)).find((o) => o.kind !== 'provider')
    ?? await createOrganisation(ctx.db, { name: env.BOOTSTRAP_ORG || 'Example Corporation', kind: 'direct' }, ctx.now());
  if (!(await currentTerms(ctx.db))) await publishTerms(ctx, DEFAULT_TERMS, actor);
  const email = env.BOOTSTRAP_ADMIN_EMAIL || 'admin@example.com';
  const { user, setupUrl } = await registerUser(ctx, {
    organisationId: org.id, email, loginId: email, name: env.BOOTSTRAP_ADMIN_NAME || '管理者 太郎',
    phone: env.BOOTSTRAP_ADMIN_PHONE || '0312345678', role: 'admin', lang: 'ja',
  }, actor);
  print('');
  print('First start: created organisation and portal admin.');
  print(`  provider organisation (operators: 'bizportal operator add'): ${provider.org.name}`);
  print(`  organisation: ${org.name}`);
  print(`  login ID:     ${user.login_id}`);
  print(`  name:         ${user.name}   phone: ${user.phone}   (asked by identity verification)`);
  print(`  starting guide link (also in the outbox): ${setupUrl}`);
  print('');
  return true;
}
