// The provider's paths and scopes, apart from provider.ts so the routes can name them without
// loading oidc-provider (it is imported on the first OpenID Connect request: runtime.ts).
export const OIDC_PREFIX = '/oidc';
export const INTERACTION_PATH = `${OIDC_PREFIX}/interaction`;
export const SCOPES = ['openid', 'profile', 'email', 'organisation', 'contract'];
