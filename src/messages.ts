// The app's message catalogs, assembled from each module's own texts (issue 13 §6). i18n holds only
// the machinery and the common texts, so no module's error type depends on another module's
// messages. `satisfies Catalog` fails the typecheck when a module adds keys (augmenting
// i18n's `Messages`) that are not assembled here, or when ja misses a key en has.
import { createTranslator, type Catalog } from './i18n/index.ts';
import { commonEn, commonJa } from './i18n/common.ts';
import { authEn } from './auth/messages-en.ts';
import { authJa } from './auth/messages-ja.ts';
import { adminEn, adminJa } from './admin/messages.ts';
import { portalEn, portalJa } from './portal/messages.ts';
import { opsEn, opsJa } from './portal/messages-ops.ts';
import { customersServiceEn, customersServiceJa } from './portal/messages-customers.ts';
import { helpEn, helpJa } from './help/messages.ts';
import { mailEn, mailJa } from './mail/messages.ts';
import { consoleEn } from './operator/messages-en.ts';
import { consoleJa } from './operator/messages-ja.ts';
import { publishEn } from './operator/messages-publish-en.ts';
import { publishJa } from './operator/messages-publish-ja.ts';
import { customersEn } from './operator/messages-customers-en.ts';
import { customersJa } from './operator/messages-customers-ja.ts';
import { oidcEn, oidcJa } from './oidc/messages.ts';
import { brandingEn, brandingJa } from './branding/messages.ts';
import { apiEn, apiJa } from './api/messages.ts';
import { noticeTargetsEn, noticeTargetsJa } from './portal/messages-notices.ts';
import { subscriptionsEn, subscriptionsJa } from './portal/messages-subscriptions.ts';

export const en = {
  ...commonEn, ...authEn, ...adminEn, ...portalEn, ...opsEn, ...customersServiceEn, ...helpEn, ...mailEn,
  // The provider's console (issue 26): A's texts; B's and C's join here.
  ...consoleEn, ...publishEn, ...customersEn,
  // The OpenID Connect provider for the settings sites (issue 18).
  ...oidcEn,
  // Issue 20: branding per preset and organisation.
  ...brandingEn,
  // Issue 24 item 6: API tokens and the TM Forum API.
  ...apiEn,
  // Issue 24: notices aimed at contracts, the maintenance calendar.
  ...noticeTargetsEn,
  // Issue 24 item 2: maintenance-mail subscriptions and technical contacts.
  ...subscriptionsEn,
} as const satisfies Catalog;

export const ja = {
  ...commonJa, ...authJa, ...adminJa, ...portalJa, ...opsJa, ...customersServiceJa, ...helpJa, ...mailJa,
  ...consoleJa, ...publishJa, ...customersJa, ...oidcJa, ...brandingJa,
  ...apiJa,
  ...noticeTargetsJa,
  ...subscriptionsJa,
} as const satisfies Catalog;

/** translator(lang, overrides) over the assembled catalogs; the web plugin and the CLI get it from here. */
export const translator = createTranslator({ en, ja });
