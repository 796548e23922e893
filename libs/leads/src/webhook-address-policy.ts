import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may go: public unicast addresses only, unless an operator allowed an internal host by name or
 * range. Pure: it judges names and addresses it is given; resolving and connecting are webhook-address-guard.ts's.
 * The address classes are ipaddr.js's (its special ranges follow the IANA registries), not written out here.
 */

/** What the operator allowed (WEBHOOK_ALLOWED_HOSTS), compiled once. */
export interface WebhookAllowance {
  /** Host names, lower case, without a trailing dot. */
  readonly hosts: ReadonlySet<string>;
  readonly ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

/**
 * How a URL's host is to be judged: at once (a name refused, or an address), or by the addresses its name resolves
 * to, `trusted` when the operator allowed the name (its addresses are then refused only when they are a metadata
 * service's).
 */
export type HostVerdict = Verdict | { resolve: string; trusted: boolean };

export const NO_ALLOWANCE: WebhookAllowance = { hosts: new Set(), ranges: [] };

/**
 * Cloud metadata services. Most sit in ranges refused anyway (link-local, unique-local, CGNAT, reserved); they are
 * named so the reason says so, and so that an allowed CIDR around one does not open it. 168.63.129.16 (Azure's host
 * endpoint) is public unicast and would pass otherwise.
 */
const METADATA_ADDRESSES = new Set(
  [
    '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
    '169.254.170.2', // AWS ECS task metadata
    '169.254.169.253', // AWS DNS
    'fd00:ec2::254', // AWS over IPv6
    '100.100.100.200', // Alibaba Cloud
    '192.0.0.192', // Oracle Cloud
    '168.63.129.16', // Azure host endpoint
  ].map((a) => ipaddr.parse(a).toNormalizedString()),
);

/** Names of metadata services, resolved only inside a cloud, where they reach the instance's credentials. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

/** IPv4-compatible IPv6 (::a.b.c.d, deprecated by RFC 4291): stacks that still honour it reach the IPv4 address. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** Compiles WEBHOOK_ALLOWED_HOSTS' items (validated by libs/config): addresses and CIDRs to ranges, the rest names. */
export function compileAllowance(items: readonly string[]): WebhookAllowance {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const item of items) {
    if (item.includes('/')) ranges.push(unmappedRange(ipaddr.parseCIDR(item)));
    else if (ipaddr.isValid(item)) {
      const address = unmapped(ipaddr.parse(item));
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(normaliseName(item));
  }
  return { hosts, ranges };
}

/** Only http and https, and no credentials: they would be sent on every call (the signature authenticates). */
export function judgeUrlForm(url: URL): Verdict {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { allowed: false, reason: 'not http or https' };
  if (url.username || url.password) return { allowed: false, reason: 'credentials in the URL' };
  return { allowed: true };
}

/**
 * Judges a URL's host as `new URL()` gives it: WHATWG parsing has already turned 0x7f000001, 2130706433 and 127.1
 * into 127.0.0.1, and bracketed IPv6 into its compressed form.
 */
export function judgeHost(hostname: string, allowance: WebhookAllowance): HostVerdict {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (ipaddr.isValid(host)) return judgeAddress(host, allowance);
  const name = normaliseName(host);
  if (allowance.hosts.has(name)) return { resolve: name, trusted: true };
  if (name === 'localhost' || name.endsWith('.localhost')) return { allowed: false, reason: 'loopback name' };
  if (METADATA_NAMES.has(name)) return { allowed: false, reason: 'metadata service name' };
  return { resolve: name, trusted: false };
}

/**
 * Judges one address: the host's own, or one its name resolved to (the one the socket connects to); `trusted` when
 * that name is one the operator allowed.
 */
export function judgeAddress(text: string, allowance: WebhookAllowance, trusted = false): Verdict {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(text);
  } catch {
    return { allowed: false, reason: 'not an IP address' };
  }
  const mapped = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress();
  address = unmapped(address);
  const suffix = mapped ? ' (IPv4-mapped)' : '';
  if (METADATA_ADDRESSES.has(address.toNormalizedString()))
    return { allowed: false, reason: `metadata service address${suffix}` };
  if (trusted || allowance.ranges.some(([base, bits]) => inRange(address, base, bits))) return { allowed: true };
  if (inRange(address, ...IPV4_COMPATIBLE)) return { allowed: false, reason: 'IPv4-compatible IPv6 address' };
  const range = address.range();
  // 'unicast' is ipaddr.js's word for an address in no special range: a public one.
  return range === 'unicast' ? { allowed: true } : { allowed: false, reason: `${range} address${suffix}` };
}

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, base: ipaddr.IPv4 | ipaddr.IPv6, bits: number): boolean {
  // ipaddr.js' match throws across families; its overloads take one family at a time.
  return address.kind() === base.kind() && (address as ipaddr.IPv4).match(base, bits);
}

/** ::ffff:a.b.c.d is judged as the IPv4 address it reaches. */
function unmapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function unmappedRange([base, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const address = unmapped(base);
  return address === base ? [base, bits] : [address, Math.max(0, bits - 96)];
}

function normaliseName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
