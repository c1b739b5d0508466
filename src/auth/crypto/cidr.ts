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
export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  // A zone id ("fe80::1%eth0") names a local interface, never a trusted network.
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) && !ip.includes('%') ? 'ipv6' : null;
  if (family === null) return false;
  const list = new BlockList();
  for (const entry of cidrs) {
    const parsed = parseCidr(entry);
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
