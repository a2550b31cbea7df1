// Who is asking: the client address behind trusted reverse proxies, and the key that throttling
// counts it under. Without this, every reader behind one proxy shares one address and one lockout.
import { BlockList, isIP } from 'node:net';

/** The proxies whose `X-Forwarded-For` entries are believed. */
export interface TrustedProxies {
  /** True when `address` is one of the configured proxies. */
  contains(address: string): boolean;
  /** True when no proxy is trusted (the socket address is the client). */
  readonly empty: boolean;
}

/**
 * Builds the trusted-proxy set from IP addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and the
 * word `loopback` (127.0.0.0/8 and ::1). Throws on anything else.
 */
export function parseTrustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefixText, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) throw new Error(`"${entry}" is not an IP address, a CIDR range or "loopback"`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
    list.addSubnet(address, prefix, type);
  }
  // BlockList.check costs about as much as serving a small range; the set never changes, so
  // answers are remembered (a bounded map, emptied when full).
  const known = new Map<string, boolean>();
  return {
    empty: entries.length === 0,
    contains(address: string): boolean {
      const remembered = known.get(address);
      if (remembered !== undefined) return remembered;
      const plain = unmapIpv4(address);
      const family = isIP(plain);
      const answer = family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
      if (known.size >= KNOWN_ADDRESSES) known.clear();
      known.set(address, answer);
      return answer;
    },
  };
}

const KNOWN_ADDRESSES = 4096;

/** No proxy trusted: the socket address is the client. */
export const NO_TRUSTED_PROXIES: TrustedProxies = parseTrustedProxies([]);

/** `::ffff:192.0.2.1` is the IPv4 client 192.0.2.1 on a dual-stack socket. */
function unmapIpv4(address: string): string {
  // Most addresses are plain: the pattern is tried only where it can match.
  if (address.length < 14 || address.charCodeAt(0) !== 0x3a /* : */) return address;
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}

/**
 * The client's address. When the peer is a trusted proxy, `X-Forwarded-For` is read from the
 * right (the entry our own proxy appended) and the first address that is not a trusted proxy is
 * the client; entries further left were written by the client and prove nothing.
 */
export function clientAddress(peer: string, forwardedFor: string | null, proxies: TrustedProxies): string {
  const socketAddress = unmapIpv4(peer);
  if (proxies.empty || !proxies.contains(socketAddress) || !forwardedFor) return socketAddress;
  if (!forwardedFor.includes(',')) {
    // One hop, as a single proxy in front forwards it: the reading below without making a list
    // (the one hop is the client, whether or not it is a proxy too; garbage is not).
    const hop = unmapIpv4(forwardedFor.trim());
    return hop !== '' && isIP(hop) !== 0 ? hop : socketAddress;
  }
  const hops = forwardedFor
    .split(',')
    .map((hop) => unmapIpv4(hop.trim()))
    .filter(Boolean);
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!;
    if (isIP(hop) === 0) return socketAddress; // garbage in the chain: fall back to what we saw
    if (!proxies.contains(hop)) return hop;
  }
  return hops[0] ?? socketAddress;
}

/** Expands an IPv6 address to its eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -embedded[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((group) => parseInt(group, 16) || 0);
}

/**
 * The key a client is counted under: the IPv4 address, or the /64 network of an IPv6 address
 * (one subscriber usually holds a whole /64, so counting single addresses would be no limit).
 */
export function throttleKey(address: string): string {
  const plain = unmapIpv4(address);
  if (isIP(plain) !== 6) return plain;
  const groups = ipv6Groups(plain).slice(0, 4);
  return `${groups.map((group) => group.toString(16)).join(':')}::/64`;
}
