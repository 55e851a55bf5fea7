// The client's address for login throttling and the audit log. Behind nginx or HAProxy every
// request arrives from the proxy, so one person's typos would throttle everyone. X-Forwarded-For
// is believed only as far as it was written by proxies the site lists (hub.yaml trustedProxies):
// read from the right, skip trusted hops, and the first untrusted address is the client. A client
// can prepend anything it likes to the header, which is why it is never read from the left.
import { BlockList, isIP } from 'node:net';

export interface TrustedProxies {
  /** True when `address` is one of the site's proxies. */
  has(address: string): boolean;
}

/** Parses `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`; throws with the entry that is wrong. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip, bits, extra] = entry.split('/');
    const family = isIP(ip ?? '');
    if (!family || extra !== undefined) throw new Error(`trustedProxies: "${entry}" is not an IP address or CIDR block`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`trustedProxies: "${entry}" has a bad prefix length`);
    list.addSubnet(ip, prefix, type);
  }
  return {
    has(address) {
      const plain = unmapped(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** `::ffff:10.1.2.3` → `10.1.2.3`; IPv6 zone and brackets dropped. */
function unmapped(address: string): string {
  const a = address.trim().replace(/^\[|\](:\d+)?$/g, '').replace(/%.*$/, '');
  const m = a.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i);
  return m ? m[1] : a;
}

/**
 * The client address of a request from `peer` (the socket's remote address) carrying
 * `forwardedFor` (X-Forwarded-For, possibly several headers joined by commas).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string | undefined {
  if (!peer) return undefined;
  let client = unmapped(peer);
  if (!forwardedFor || !trusted.has(client)) return client;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = unmapped(hops[i]);
    if (!isIP(hop)) return client; // garbage from before the trusted hops: stop at the last proxy we believe
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  return client;
}
