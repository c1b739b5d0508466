// Where a webhook may be delivered (issue 24 item 6; OWASP SSRF Prevention Cheat Sheet): https only,
// and never to an address inside a network — loopback, private (RFC 1918, fc00::/7), link-local,
// CGNAT (RFC 6598), "this network", multicast and reserved ranges, and IPv4-mapped or NAT64 forms of
// them. The host is resolved when the delivery is made (not only at registration: DNS can change)
// and the connection goes to the address that was checked (deliver.ts pins it: no second lookup).
// WEBHOOK_ALLOW_LOOPBACK=true (never in production) admits http:// and loopback, for tests and
// development; every other refused range stays refused.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const refusedV4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) refusedV4.addSubnet(net, prefix, 'ipv4');
const loopbackV4 = new BlockList();
loopbackV4.addSubnet('127.0.0.0', 8, 'ipv4');

const refusedV6 = new BlockList();
for (const [net, prefix] of [['::', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64]] as const) refusedV6.addSubnet(net, prefix, 'ipv6');

export type AddressVerdict = 'public' | 'loopback' | 'refused';

/** Eight 16-bit groups of an IPv6 address (node has validated it; an embedded dotted quad is expanded). */
function groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const b = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, null];
  const h = head ? head.split(':').map((g) => parseInt(g, 16)) : [];
  const t = tail ? tail.split(':').map((g) => parseInt(g, 16)) : [];
  return tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
}

function v4(ip: string): AddressVerdict {
  if (loopbackV4.check(ip, 'ipv4')) return 'loopback';
  if (ip === '255.255.255.255' || refusedV4.check(ip, 'ipv4')) return 'refused';
  return 'public';
}

/** What an address is: public, loopback, or inside a refused range. Not an address: refused. */
export function classifyAddress(ip: string): AddressVerdict {
  const family = isIP(ip);
  if (family === 4) return v4(ip);
  if (family !== 6 || ip.includes('%')) return 'refused';
  const g = groups(ip);
  if (g.length !== 8) return 'refused';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96) and NAT64 (64:ff9b::/96): the IPv4 inside decides.
  const embedded = `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return v4(embedded) === 'public' ? 'public' : v4(embedded);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(embedded) === 'public' ? 'public' : 'refused';
  if (refusedV6.check(ip, 'ipv6')) return 'refused';
  return 'public';
}

export class CallbackRefused extends Error {
  override readonly name = 'CallbackRefused';
}

export interface CallbackTarget { url: URL; address: string; family: 4 | 6 }

export const MAX_CALLBACK_LENGTH = 2000;

/** The URL's own checks (no DNS): scheme, no credentials, a host, a length. */
export function checkCallbackUrl(raw: string, allowLoopback: boolean): URL {
  if (raw.length > MAX_CALLBACK_LENGTH) throw new CallbackRefused('callback URL too long');
  let url: URL;
  try { url = new URL(raw); } catch { throw new CallbackRefused('callback is not a URL'); }
  if (url.protocol !== 'https:' && !(allowLoopback && url.protocol === 'http:')) throw new CallbackRefused('callback must be https');
  if (url.username || url.password) throw new CallbackRefused('callback must not carry credentials');
  if (!url.hostname) throw new CallbackRefused('callback has no host');
  return url;
}

/**
 * Resolves the callback's host now and checks every address it has (one refused address refuses the
 * callback: a resolver may answer with either). Returns the address to connect to.
 */
export async function resolveCallback(raw: string, allowLoopback: boolean, resolve: typeof lookup = lookup): Promise<CallbackTarget> {
  const url = checkCallbackUrl(raw, allowLoopback);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try { addresses = await resolve(host, { all: true, verbatim: true }); } catch { throw new CallbackRefused('callback host does not resolve'); }
  }
  if (!addresses.length) throw new CallbackRefused('callback host does not resolve');
  for (const a of addresses) {
    const verdict = classifyAddress(a.address);
    if (verdict === 'refused' || (verdict === 'loopback' && !allowLoopback)) throw new CallbackRefused(`callback address refused (${verdict === 'loopback' ? 'loopback' : 'private or reserved'})`);
    // Loopback allowed (tests, development): still only plain http to this machine or https anywhere public.
  }
  if (url.protocol === 'http:' && addresses.some((a) => classifyAddress(a.address) !== 'loopback')) throw new CallbackRefused('callback must be https');
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
