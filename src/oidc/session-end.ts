// Signing out of the portal ends the provider's session in the same browser (issue 18 item 6):
// each client the session signed in to and that registered a back-channel logout URI gets a
// logout token (OpenID Connect Back-Channel Logout 1.0), what the session's grants issued is
// revoked, and the provider's session row is deleted. A client that cannot be reached is audited
// (`oidc.backchannel_failed`); it never keeps the user signed in.
import type { AppContext, SignOutHook } from '../context.ts';
import { audit } from '../audit/log.ts';
import { sha256Hex } from '../lib/index.ts';
import { destroyGrant } from './store.ts';
import type { OidcRuntime } from './runtime.ts';

export const PROVIDER_SESSION_COOKIE = 'bp_oidc_session';

export function endProviderSessionHook(ctx: AppContext, runtime: OidcRuntime): SignOutHook {
  return async ({ userId, cookies, ip }) => {
    const id = cookies[PROVIDER_SESSION_COOKIE];
    if (!id || id.length > 100) return;
    const provider = await runtime.provider();
    const session = await provider.Session.find(id);
    if (!session || session.accountId !== userId) return;
    for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
      // backchannelLogout is oidc-provider's own (lib/models/client.js); its typings leave it out.
      const client = await provider.Client.find(clientId) as (Awaited<ReturnType<typeof provider.Client.find>> & { backchannelLogout(sub: string, sid: string): Promise<void> }) | undefined;
      if (client?.backchannelLogoutUri) {
        try {
          await client.backchannelLogout(userId, session.sidFor(clientId) ?? '');
        } catch (err) {
          await audit(ctx.db, { event: 'oidc.backchannel_failed', subjectUserId: userId, ip, detail: { client: clientId, error: (err as Error).message.slice(0, 200) } }, ctx.now());
        }
      }
      if (authorization.grantId) await destroyGrant(ctx.db, sha256Hex(authorization.grantId));
    }
    await session.destroy();
    await audit(ctx.db, { event: 'oidc.logout', subjectUserId: userId, ip, detail: { client: null, portal: true } }, ctx.now());
  };
}
