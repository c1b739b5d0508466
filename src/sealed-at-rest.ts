// Every long-lived secret sealed under TOTP_KEY (the secret box, AES-256-GCM with an AAD per row),
// so `bizportal keys rotate-totp` re-seals them all and TOTP_OLD_KEYS can then be dropped. A new
// sealed column belongs here; src/test/sealed-at-rest.test.ts seals one value per entry and rotates.
// Part of the composition root (docs/architecture.md): it knows the AAD of each module's boxes.
// Short-lived boxes are not listed: a flow's pending TOTP key and matrix challenge (a flow lives
// minutes) and the OpenID Connect provider's artefacts (oidc_payload, until they expire) are opened
// with TOTP_OLD_KEYS while it stays in the ring (docs/security.md, key management).
import { FACTOR_SECRETS, matrixAad, type SealedColumn } from './auth/service.ts';
import { aad as oidcKeyAad } from './oidc/keys.ts';
import { secretAad as oidcClientAad } from './oidc/clients.ts';
import { webhookAad } from './api/hub.ts';

export const SEALED_AT_REST: readonly SealedColumn[] = [
  FACTOR_SECRETS,
  { name: 'matrix passwords', table: 'matrix_password', key: 'user_id', column: 'positions_enc', aadFrom: 'user_id', aad: matrixAad },
  { name: 'OpenID Connect signing keys', table: 'oidc_key', key: 'kid', column: 'private_enc', aadFrom: 'kid', aad: oidcKeyAad },
  { name: 'OpenID Connect client secrets', table: 'oidc_client', key: 'id', column: 'secret_enc', aadFrom: 'id', aad: oidcClientAad },
  { name: 'webhook keys', table: 'webhook_subscription', key: 'id', column: 'secret_enc', aadFrom: 'id', aad: webhookAad },
];
