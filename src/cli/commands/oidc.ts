// `oidc client add|list|rotate-secret|remove` and `oidc keys list|rotate` (issue 18 item 4): the
// settings sites bizportal signs users in to, and the provider's signing keys. Every change is audited.
import { readFileSync } from 'node:fs';
import { audit } from '../../audit/log.ts';
import { AUTH_METHODS, OidcInputError, addClient, listClients, removeClient, rotateClientSecret, type AuthMethod } from '../../oidc/clients.ts';
import { listKeys, rotateSigningKeys } from '../../oidc/keys.ts';
import { oneOf, optional, required } from '../args.ts';
import { CliFailure, type Command, type ParsedValues, UsageError } from '../command.ts';
import { table } from '../table.ts';
import { jsonHelp, JSON_OPTION, printJson, wantsJson } from '../json.ts';

async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof OidcInputError) throw new CliFailure(err.message);
    throw err;
  }
}

function many(values: ParsedValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  if (list.some((x) => typeof x !== 'string' || x.trim() === '')) throw new UsageError(`--${name} needs a value`);
  return list as string[];
}

const date = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

export const oidcClientAddCommand: Command = {
  path: ['oidc', 'client', 'add'],
  summary: 'register a settings site (OpenID Connect client); prints its secret once',
  synopsis: '--id ID --name NAME [--service CODE] --redirect-uri URL… [--post-logout-uri URL…] [--initiate-login-uri URL] [--backchannel-logout-uri URL] [--auth-method M] [--jwks-file F | --jwks-uri URL] [--first-party] [--require-aal2]',
  help: [
    '--id ID                       the client_id: 3–64 of a-z 0-9 . _ - (e.g. pbx-settings)',
    '--name NAME                   shown on the consent and sign-out pages (e.g. "Smart PBX settings")',
    '--service CODE                the service whose «設定を変更する» button opens this site (one client per service)',
    '--redirect-uri URL            where the site receives the code; exact match; repeat for several',
    '--post-logout-uri URL         where the site may send the user after signing out; repeat for several',
    '--initiate-login-uri URL      the site\'s login start (OpenID Connect Core §4); the button sends users there',
    '--backchannel-logout-uri URL  notified (logout token) when the user signs out of the portal',
    `--auth-method M               ${AUTH_METHODS.join(' | ')} (default client_secret_basic)`,
    '--jwks-file F | --jwks-uri U  private_key_jwt: the site\'s public keys (JWK Set file, or its URL)',
    '--first-party                 the provider\'s own site: no consent screen',
    '--require-aal2                every sign-in needs the full 2-step, even from a trusted network or browser',
    'URLs must be https (http only on localhost). The secret is printed once and kept encrypted.',
  ],
  options: {
    id: { type: 'string' }, name: { type: 'string' }, service: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true }, 'post-logout-uri': { type: 'string', multiple: true },
    'initiate-login-uri': { type: 'string' }, 'backchannel-logout-uri': { type: 'string' },
    'auth-method': { type: 'string' }, 'jwks-file': { type: 'string' }, 'jwks-uri': { type: 'string' },
    'first-party': { type: 'boolean' }, 'require-aal2': { type: 'boolean' },
  },
  prepare(values) {
    const id = required(values, 'id');
    const name = required(values, 'name');
    const redirectUris = many(values, 'redirect-uri');
    if (redirectUris.length === 0) throw new UsageError('missing --redirect-uri');
    const postLogoutUris = many(values, 'post-logout-uri');
    const authMethod: AuthMethod = oneOf(values, 'auth-method', AUTH_METHODS) ?? 'client_secret_basic';
    const jwksFile = optional(values, 'jwks-file');
    let jwks: string | undefined;
    if (jwksFile) {
      try { jwks = readFileSync(jwksFile, 'utf8'); } catch { throw new UsageError(`--jwks-file: cannot read ${jwksFile}`); }
    }
    const input = {
      id, name, serviceCode: optional(values, 'service'), redirectUris, postLogoutUris,
      initiateLoginUri: optional(values, 'initiate-login-uri'), backchannelLogoutUri: optional(values, 'backchannel-logout-uri'),
      authMethod, jwks, jwksUri: optional(values, 'jwks-uri'),
      firstParty: values['first-party'] === true, requireAal2: values['require-aal2'] === true,
    };
    return async (ctx, io) => {
      const { client, secret } = await refusing(() => addClient(ctx, input));
      await audit(ctx.db, { event: 'oidc.client_added', ip: 'cli', detail: { client: client.id, service: client.service, first_party: client.firstParty } }, ctx.now());
      io.out(`client ${client.id} registered${client.service ? ` for service ${client.service}` : ''}`);
      if (secret) io.out(`client_secret: ${secret}`), io.out('(shown once: keep it in the settings site\'s configuration)');
    };
  },
};

export const oidcClientListCommand: Command = {
  path: ['oidc', 'client', 'list'],
  summary: 'list the registered settings sites (no secrets)',
  synopsis: '[--json]',
  help: [jsonHelp()],
  options: { ...JSON_OPTION },
  prepare(values) {
    return async (ctx, io) => {
      const rows = await listClients(ctx);
      if (wantsJson(values)) {
        printJson(io, rows.map((c) => ({
          id: c.id, service: c.service, authMethod: c.authMethod, firstParty: c.firstParty, requireAal2: c.requireAal2,
          createdAt: date(c.createdAt), redirectUris: c.redirectUris,
        })));
        return;
      }
      if (rows.length === 0) return io.out('no clients registered (bizportal oidc client add)');
      table(io, ['id', 'service', 'auth', 'first-party', 'aal2', 'created', 'redirect URIs'], rows.map((c) => [
        c.id, c.service ?? '-', c.authMethod, c.firstParty ? 'yes' : 'no', c.requireAal2 ? 'yes' : 'no', date(c.createdAt), c.redirectUris.join(' '),
      ]));
    };
  },
};

export const oidcClientRotateSecretCommand: Command = {
  path: ['oidc', 'client', 'rotate-secret'],
  summary: 'give a client a new secret (the old one stops working at once); prints it once',
  synopsis: '--id ID',
  help: ['--id ID   the client_id'],
  options: { id: { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id');
    return async (ctx, io) => {
      const secret = await refusing(() => rotateClientSecret(ctx, id));
      await audit(ctx.db, { event: 'oidc.client_secret_rotated', ip: 'cli', detail: { client: id } }, ctx.now());
      io.out(`client_secret: ${secret}`);
      io.out('(shown once; the previous secret no longer works)');
    };
  },
};

export const oidcClientRemoveCommand: Command = {
  path: ['oidc', 'client', 'remove'],
  summary: 'remove a client: its tokens stop working, its button falls back to the plain link',
  synopsis: '--id ID',
  help: ['--id ID   the client_id'],
  options: { id: { type: 'string' } },
  prepare(values) {
    const id = required(values, 'id');
    return async (ctx, io) => {
      await refusing(() => removeClient(ctx, id));
      await audit(ctx.db, { event: 'oidc.client_removed', ip: 'cli', detail: { client: id } }, ctx.now());
      io.out(`client ${id} removed`);
    };
  },
};

export const oidcKeysListCommand: Command = {
  path: ['oidc', 'keys', 'list'],
  summary: 'list the published signing keys (the signing one first)',
  synopsis: '[--json]',
  help: [jsonHelp()],
  options: { ...JSON_OPTION },
  prepare(values) {
    return async (ctx, io) => {
      const keys = await listKeys(ctx);
      if (wantsJson(values)) {
        const signingFirst = [...keys.filter((k) => k.retiredAt === null), ...keys.filter((k) => k.retiredAt !== null)];
        printJson(io, signingFirst.map((k) => ({ kid: k.kid, alg: k.alg, createdAt: date(k.createdAt), state: k.retiredAt === null ? 'signing' : 'retired', retiredAt: k.retiredAt === null ? null : date(k.retiredAt) })));
        return;
      }
      if (keys.length === 0) return io.out('no keys yet: the first start of the portal generates one');
      const ordered = [...keys.filter((k) => k.retiredAt === null), ...keys.filter((k) => k.retiredAt !== null)];
      table(io, ['kid', 'alg', 'created', 'state'], ordered.map((k) => [k.kid, k.alg, date(k.createdAt), k.retiredAt === null ? 'signing' : `retired ${date(k.retiredAt)}, published for 24 h`]));
    };
  },
};

export const oidcKeysRotateCommand: Command = {
  path: ['oidc', 'keys', 'rotate'],
  summary: 'a new signing key; the old ones stay published for 24 h so tokens they signed still verify',
  synopsis: '',
  help: ['Every node picks the new key up at its next OpenID Connect request.'],
  options: {},
  prepare() {
    return async (ctx, io) => {
      const r = await rotateSigningKeys(ctx);
      await audit(ctx.db, { event: 'oidc.keys_rotated', ip: 'cli', detail: { kid: r.kid, retired: r.retired, pruned: r.pruned } }, ctx.now());
      io.out(`signing key ${r.kid}; ${r.retired} retired (published for 24 h), ${r.pruned} removed`);
    };
  },
};

export const OIDC_COMMANDS = [oidcClientAddCommand, oidcClientListCommand, oidcClientRotateSecretCommand, oidcClientRemoveCommand, oidcKeysListCommand, oidcKeysRotateCommand];
