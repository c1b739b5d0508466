// Row types of the OpenID Connect provider's tables (migration 031, issue 18). Kept apart from
// schema.ts so that file stays readable; Database (schema.ts) extends this.

export interface OidcClientTable {
  /** The client_id. */
  id: string;
  /** The service whose settings site this is (S8), or null for a client of no one service. */
  service_id: string | null;
  name: string;
  /** JSON: redirect_uris, post_logout_redirect_uris, initiate_login_uri, token_endpoint_auth_method, jwks … */
  metadata: string;
  /** Sealed client secret (secret-box, AAD = "oidc-client:" + id); null for private_key_jwt clients. */
  secret_enc: string | null;
  /** Set: a first-party site of the provider, no consent screen. */
  first_party_at: number | null;
  created_at: number;
  secret_rotated_at: number | null;
}

export interface OidcKeyTable {
  kid: string;
  alg: string;
  /** Sealed private JWK (secret-box, AAD = "oidc-key:" + kid). */
  private_enc: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface OidcPayloadTable {
  /** oidc-provider's model name: Session, Interaction, AuthorizationCode, AccessToken, Grant, … */
  kind: string;
  /** SHA-256 (hex) of the artefact's id; the id itself (a code, a token, a cookie) is never stored. */
  id_hash: string;
  payload: string;
  grant_hash: string | null;
  uid_hash: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OidcTables {
  oidc_client: OidcClientTable;
  oidc_key: OidcKeyTable;
  oidc_payload: OidcPayloadTable;
}
