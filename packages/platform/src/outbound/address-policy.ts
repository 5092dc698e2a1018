/**
 * Which network addresses the platform may call when the host of a request came from a tenant
 * or a provider (a credential field, a token response) rather than from the operator. Only
 * global unicast addresses pass: loopback, private (RFC 1918), CGNAT, link-local (cloud
 * metadata at 169.254.169.254), unique-local, unspecified, multicast, broadcast, reserved and
 * documentation ranges, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo)
 * are refused. ipaddr.js does the classifying; IPv4-mapped IPv6 is judged as the IPv4 it maps.
 *
 * @example
 * classifyAddress('169.254.169.254'); // { address: '169.254.169.254', range: 'linkLocal', allowed: false }
 * @module
 */
import ipaddr from 'ipaddr.js';

export interface AddressVerdict {
  /** The address as judged (IPv4-mapped IPv6 turned into IPv4). */
  address: string;
  /** ipaddr.js's range name: `unicast` for a global address, else `loopback`, `private`… */
  range: string;
  allowed: boolean;
}

// ::/96 (IPv4-compatible, deprecated) is not in ipaddr.js's table; `::7f00:1` would pass as unicast.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** Judges one IP address (no brackets). Anything that does not parse is refused. */
export function classifyAddress(input: string): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process() turns ::ffff:a.b.c.d into a.b.c.d, so the IPv4 ranges judge it.
    parsed = ipaddr.process(input);
  } catch {
    return { address: input, range: 'invalid', allowed: false };
  }
  const address = parsed.toString();
  const range = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).match(IPV4_COMPATIBLE)) {
    return { address, range: 'ipv4Compatible', allowed: false };
  }
  return { address, range, allowed: range === 'unicast' };
}

/** Whether a URL hostname is an IP literal (`[::1]` brackets allowed), not a name. */
export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(stripBrackets(hostname));
}

export function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
