// One provider per node, rebuilt when the signing keys change: a rotation made by the CLI (or on
// another node) is seen at the next OpenID Connect request, which first compares the key set's
// version (one indexed read). Building is cheap next to what a sign-in costs anyway.
// oidc-provider itself is imported on the first such request: a portal whose settings sites are
// never used does not load it (nor print its Node 20 warning, decision 005).
import type Provider from 'oidc-provider';
import type { AppContext } from '../context.ts';
import { keysVersion, signingKeys } from './keys.ts';
import type { OidcPages } from './pages.ts';

export class OidcRuntime {
  private built: { version: string; provider: Provider } | null = null;
  private building: Promise<Provider> | null = null;

  constructor(private readonly ctx: AppContext, private readonly pages: OidcPages) {}

  async provider(): Promise<Provider> {
    const version = await keysVersion(this.ctx);
    if (this.built?.version === version) return this.built.provider;
    this.building ??= (async () => {
      try {
        const keys = await signingKeys(this.ctx);
        const { buildProvider } = await import('./provider.ts');
        const provider = buildProvider(this.ctx, keys, this.pages);
        // The version after signingKeys: a key generated just now is part of it.
        this.built = { version: await keysVersion(this.ctx), provider };
        return provider;
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}
