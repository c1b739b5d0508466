// Trusted networks (SECURITY.md stance 3: admin-set CIDR ranges may skip the second step).
// Parsing is strict because a mistyped range widens who skips 2-step; matching fails closed.
import { BlockList, isIPv4, isIPv6, SocketAddress } from 'node:net';

export type CidrParseResult = { ok: true; cidr: string } | { ok: false };

/**
 * Validates "address/prefix" or a bare address (= /32 or /128) and returns it normalised: host bits
 * cleared ("10.1.2.3/8" → "10.0.0.0/8"), IPv6 in RFC 5952 canonical text ("2001:DB8:0::1" →
 * "2001:db8::1/128"). Refuses zone ids, prefixes out of range or not plain ASCII decimal (RFC 4632
 * §3.1, RFC 4291 §2.3), and anything node:net does not accept as an address (e.g. full-width digits).
 */
export function parseCidr(text: string): CidrParseResult {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : 0;
  if (family === 0) return { ok: false };
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return { ok: false };
    prefix = Number(prefixText);
    if (prefix > bits) return { ok: false };
  }
  const bytes = family === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  clearHostBits(bytes, prefix);
  return { ok: true, cidr: `${family === 4 ? bytes.join('.') : formatIpv6(bytes)}/${prefix}` };
}

/**
 * Whether `ip` (the client address from the trusted proxy, item 23) lies in any of `cidrs`.
 * node:net BlockList matches IPv4-mapped IPv6 ("::ffff:10.0.0.1", what a dual-stack socket reports)
 * against IPv4 ranges and the reverse. Entries that do not parse are skipped, never widened: a
 * broken entry trusts no one.
 */
export function ipInCidrs(ipText: string, cidrs: readonly string[]): boolean {
  // Item 42: an IPv4-mapped client address is checked as the IPv4 address it is.
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ipText);
  const ip = mapped && isIPv4(mapped[1]!) ? mapped[1]! : ipText;
  // A zone id ("fe80::1%eth0") names a local interface, never a trusted network.
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) && !ip.includes('%') ? 'ipv6' : null;
  if (family === null) return false;
  const list = new BlockList();
  for (const entry of cidrs) {
    const parsed = parseTrustedCidr(entry);
    if (!parsed.ok) continue;
    const slash = parsed.cidr.lastIndexOf('/');
    const network = parsed.cidr.slice(0, slash);
    list.addSubnet(network, Number(parsed.cidr.slice(slash + 1)), isIPv4(network) ? 'ipv4' : 'ipv6');
  }
  try {
    return list.check(ip, family);
  } catch {
    return false; // node:net refused the address: not trusted
  }
}

/** Only called after isIPv4 accepted the text: four decimal octets 0–255, no leading zeros. */
function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** Only called after isIPv6 accepted the text (RFC 4291 §2.2: "::" once, optional dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = ipv4Bytes(tail) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  const bytes: number[] = [];
  for (const group of [...headGroups, ...zeros, ...restGroups]) {
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}

function clearHostBits(bytes: number[], prefix: number): void {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
}

/** RFC 5952 text via node:net (lower case, longest zero run as "::", no leading zeros). */
function formatIpv6(bytes: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

// --- SECURITY.md item 42: what a set of trusted networks may cover ------------------------------

/** Public ranges wider than these are refused whatever the share (documented in docs/admin.md). */
export const MIN_PUBLIC_PREFIX = { v4: 16, v6: 32 } as const;
/** Default of TRUSTED_NETWORKS_MAX_PERCENT: the share of the IPv4 and of the IPv6 space one organisation's set may cover. */
export const DEFAULT_MAX_PERCENT = 0.5;

/** Private and local blocks (RFC 1918, RFC 6598, loopback, link-local; ULA and link-local IPv6): not "public". */
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'];

const MAPPED_BASE = 0xffffn << 32n; // ::ffff:0:0, the IPv4-mapped block (RFC 4291 §2.5.5.2)
const SPACE = 1n << 128n;

/** A parsed range in the 128-bit space; an IPv4 range sits in the IPv4-mapped block. */
function span(cidr: string): { start: bigint; end: bigint; v4: boolean; prefix: number } {
  const slash = cidr.lastIndexOf('/');
  const address = cidr.slice(0, slash);
  const prefix = Number(cidr.slice(slash + 1));
  const v4 = isIPv4(address);
  const bytes = v4 ? ipv4Bytes(address) : ipv6Bytes(address);
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const start = v4 ? MAPPED_BASE | value : value;
  const size = 1n << BigInt((v4 ? 32 : 128) - prefix);
  return { start, end: start + size, v4, prefix };
}

/**
 * parseCidr, then an IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) is written as the IPv4 range it
 * is (`10.0.0.0/8`), so every later check — width, share, matching — sees IPv4. A range wider than
 * the mapped block (e.g. `::/80`) stays IPv6 and is judged as the public IPv6 range it is.
 */
export function parseTrustedCidr(text: string): CidrParseResult {
  const parsed = parseCidr(text);
  if (!parsed.ok || isIPv4(parsed.cidr.slice(0, parsed.cidr.lastIndexOf('/')))) return parsed;
  const s = span(parsed.cidr);
  if (s.prefix < 96 || s.start >> 32n !== 0xffffn) return parsed;
  const v = Number(s.start & 0xffffffffn);
  return { ok: true, cidr: `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${s.prefix - 96}` };
}

export type CoverageProblem = 'public_too_wide' | 'share_exceeded';

/**
 * Whether a set of (parsed, normalised) entries is acceptable: no public range wider than
 * MIN_PUBLIC_PREFIX, and the union covering at most `maxPercent` % of the IPv4 space and of the
 * IPv6 space (overlaps counted once). `0.0.0.0/1` + `128.0.0.0/1` or `::ffff:0:0/96` fail both.
 */
export function coverageProblem(cidrs: readonly string[], maxPercent: number): CoverageProblem | null {
  const spans = cidrs.map(span);
  const nonPublic = NON_PUBLIC.map(span);
  for (const s of spans) {
    const min = s.v4 ? MIN_PUBLIC_PREFIX.v4 : MIN_PUBLIC_PREFIX.v6;
    if (s.prefix < min && !nonPublic.some((n) => n.start <= s.start && s.end <= n.end)) return 'public_too_wide';
  }
  // Union of the ranges, sorted and merged.
  const merged: { start: bigint; end: bigint }[] = [];
  for (const s of [...spans].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) { if (s.end > last.end) last.end = s.end; } else merged.push({ start: s.start, end: s.end });
  }
  const mappedEnd = MAPPED_BASE + (1n << 32n);
  let v4 = 0n;
  let all = 0n;
  for (const m of merged) {
    all += m.end - m.start;
    const lo = m.start > MAPPED_BASE ? m.start : MAPPED_BASE;
    const hi = m.end < mappedEnd ? m.end : mappedEnd;
    if (hi > lo) v4 += hi - lo;
  }
  // Compare in parts per billion with integers: share × 1e9 ≤ maxPercent × 1e7.
  const limit = BigInt(Math.floor(maxPercent * 1e7));
  if ((v4 * 1_000_000_000n) >> 32n > limit) return 'share_exceeded';
  if ((all * 1_000_000_000n) / SPACE > limit) return 'share_exceeded';
  return null;
}

/** Every entry normalised (parseTrustedCidr) and the set within the limits: what login trusts (fails closed). */
export function trustedSetAcceptable(cidrs: readonly string[], maxPercent: number): boolean {
  const parsed = cidrs.map(parseTrustedCidr).filter((p): p is { ok: true; cidr: string } => p.ok).map((p) => p.cidr);
  return coverageProblem(parsed, maxPercent) === null;
}
