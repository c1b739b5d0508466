// Every admin route, listed once. The admin plugin refuses to start if it registers a route that
// is not here (so a new route cannot miss the authorisation matrix in test/http/admin-authz.test.ts,
// which walks this list), and the summaries become the OpenAPI text of the JSON API (S14).
import type { FastifyInstance } from 'fastify';
import { enforceListedRoutes, type ListedRoute } from '../web/route-list.ts';

export type AdminRoute = ListedRoute;

export const ADMIN_ROUTES = [
  { method: 'GET', url: '/admin', summary: 'Admin overview: users waiting for first login, locked users, failed logins (24 h), starting guides expiring within 48 h (org; JSON: the counts, their links and this route list)' },
  { method: 'GET', url: '/admin/users', summary: 'List users with the total (q: login ID, name or e-mail; org; role; state: active|waiting|locked|disabled; method: totp|mail_otp|none; guide=expiring; sort: name|login_id|last_login|created; dir: asc|desc; page)' },
  { method: 'GET', url: '/admin/users/new', summary: 'Form to register a user' },
  { method: 'POST', url: '/admin/users', summary: 'Register a user and send the starting guide (S1)' },
  { method: 'GET', url: '/admin/users/:userId', summary: 'A user: details, groups, lockouts, sessions' },
  { method: 'POST', url: '/admin/users/:userId/contact', summary: 'Change e-mail, name and phone' },
  { method: 'POST', url: '/admin/users/:userId/role', summary: 'Change the role (admin | general)' },
  { method: 'POST', url: '/admin/users/:userId/starting-guide', summary: 'Re-send the starting guide e-mail' },
  { method: 'POST', url: '/admin/users/:userId/second-factor', summary: 'Assign TOTP or MailOTP (S3.3)' },
  { method: 'GET', url: '/admin/users/:userId/totp-reset', summary: 'Confirmation page: reset TOTP (JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/users/:userId/totp-reset', summary: 'Reset TOTP: the user enrols again (confirm=yes, else the confirmation page / 409)' },
  { method: 'GET', url: '/admin/users/:userId/trusted-browsers/revoke', summary: 'Confirmation page: revoke trusted browsers (JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/users/:userId/trusted-browsers/revoke', summary: 'Revoke trusted browsers (S3.7; confirm=yes, else the confirmation page / 409)' },
  { method: 'GET', url: '/admin/users/:userId/passkeys/:passkeyId/revoke', summary: 'Confirmation page: revoke one of the user\'s passkeys (issue 23; JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/users/:userId/passkeys/:passkeyId/revoke', summary: 'Revoke a passkey of the user, audited as admin.passkey_revoked (issue 23; confirm=yes, else the confirmation page / 409)' },
  { method: 'GET', url: '/admin/users/:userId/sessions/revoke', summary: 'Confirmation page: end all sessions (JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/users/:userId/sessions/revoke', summary: 'End all sessions of the user (confirm=yes, else the confirmation page / 409)' },
  { method: 'GET', url: '/admin/users/:userId/disable', summary: 'Confirmation page: disable the user (JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/users/:userId/disable', summary: 'Disable the user; their sessions end immediately (confirm=yes, else the confirmation page / 409)' },
  { method: 'POST', url: '/admin/users/:userId/enable', summary: 'Enable the user' },
  { method: 'POST', url: '/admin/users/:userId/unlock', summary: 'Clear password and 2-step lockouts' },
  { method: 'GET', url: '/admin/groups', summary: 'List user groups' },
  { method: 'POST', url: '/admin/groups', summary: 'Create a user group' },
  { method: 'GET', url: '/admin/groups/:groupId', summary: 'A group and its members; member_q: search users of its organisation to add (up to 20)' },
  { method: 'POST', url: '/admin/groups/:groupId/rename', summary: 'Rename a group' },
  { method: 'GET', url: '/admin/groups/:groupId/delete', summary: 'Confirmation page: delete a group (JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/groups/:groupId/delete', summary: 'Delete a group (confirm=yes, else the confirmation page / 409)' },
  { method: 'POST', url: '/admin/groups/:groupId/members', summary: 'Add a member (a user of the same organisation)' },
  { method: 'GET', url: '/admin/groups/:groupId/members/:userId/remove', summary: 'Confirmation page: remove a member (JSON: 409 admin.confirm_required)' },
  { method: 'POST', url: '/admin/groups/:groupId/members/:userId/remove', summary: 'Remove a member (confirm=yes, else the confirmation page / 409)' },
  { method: 'POST', url: '/admin/groups/:groupId/contracts', summary: 'Let the group view contracts of its organisation (numbers: N + 9 digits, separated by spaces, commas or new lines; S8, S13)' },
  { method: 'POST', url: '/admin/groups/:groupId/contracts/:contractId/revoke', summary: 'Stop the group from viewing a contract' },
  { method: 'GET', url: '/admin/audit', summary: 'Audit log (user, event, from/to in JST, org, page)' },
  { method: 'GET', url: '/admin/audit.csv', summary: 'Audit log as CSV (UTF-8 with BOM), same filters' },
  { method: 'GET', url: '/admin/settings', summary: 'Organisation security settings (S3.7)' },
  { method: 'POST', url: '/admin/settings/networks', summary: 'Add a trusted network (CIDR)' },
  { method: 'POST', url: '/admin/settings/networks/:networkId/remove', summary: 'Remove a trusted network' },
  { method: 'POST', url: '/admin/settings/trusted-browsers', summary: 'Allow or forbid trusted browsers' },
  { method: 'GET', url: '/admin/api-tokens', summary: 'API tokens of the organisation (issue 24; docs/api.md): name, scopes, issued, last used, revoked; recent webhook deliveries' },
  { method: 'POST', url: '/admin/api-tokens', summary: 'Issue an API token (name, scopes); the token is in this answer only' },
  { method: 'POST', url: '/admin/api-tokens/:tokenId/revoke', summary: 'Revoke an API token' },
  { method: 'GET', url: '/admin/contacts', summary: "Technical contacts of the organisation's contracts (issue 24 item 2): contract, name, address, added" },
  { method: 'POST', url: '/admin/contacts', summary: 'Add a technical contact to a contract of the organisation (number, name, email); audited' },
  { method: 'POST', url: '/admin/contacts/:contactId/remove', summary: 'Remove a technical contact; audited' },
] as const satisfies readonly AdminRoute[];

/** Registers the check on the admin plugin: an unlisted admin route is a start-up error. */
export function enforceRouteList(app: FastifyInstance): void {
  enforceListedRoutes(app, ADMIN_ROUTES, 'admin', 'src/admin/route-list.ts');
}
