import * as ipaddr from 'ipaddr.js';

/** An IPv4 CIDR block, parsed. */
export interface Cidr {
  readonly text: string;
  readonly address: ipaddr.IPv4;
  readonly prefixLength: number;
}

/** Parses `10.0.0.0/16`; returns undefined for anything that is not an IPv4 CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) return undefined;
  try {
    const [address, prefixLength] = ipaddr.IPv4.parseCIDR(text);
    return { text, address, prefixLength };
  } catch {
    return undefined;
  }
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefixLength >= outer.prefixLength && inner.address.match(outer.address, outer.prefixLength);
}

/** True when two blocks share any address. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  return a.address.match(b.address, shorter);
}

/** True when `ip` is an IPv4 address inside the block. */
export function cidrHasAddress(cidr: Cidr, ip: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) return false;
  return ipaddr.IPv4.parse(ip).match(cidr.address, cidr.prefixLength);
}

/** The n-th address of the block (0 = network address). */
export function cidrHost(cidr: Cidr, n: number): string {
  const base = cidr.address.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
  const network = base - (base % cidrSize(cidr));
  let value = network + n;
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) {
    bytes.unshift(value % 256);
    value = Math.floor(value / 256);
  }
  return bytes.join('.');
}
