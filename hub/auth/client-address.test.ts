// Which address is the client behind the site's proxies (table tests).
import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from './client-address.js';

const proxies = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
const none = trustedProxies([]);

describe('clientAddress', () => {
  it.each([
    ['no proxies trusted: the header is ignored', '127.0.0.1', '203.0.113.9', none, '127.0.0.1'],
    ['direct client, no header', '198.51.100.4', undefined, proxies, '198.51.100.4'],
    ['direct untrusted client sending a forged header', '198.51.100.4', '1.2.3.4', proxies, '198.51.100.4'],
    ['one trusted proxy', '127.0.0.1', '203.0.113.9', proxies, '203.0.113.9'],
    ['IPv4-mapped peer', '::ffff:127.0.0.1', '203.0.113.9', proxies, '203.0.113.9'],
    ['two trusted hops', '127.0.0.1', '203.0.113.9, 10.2.3.4', proxies, '203.0.113.9'],
    ['client-supplied prefix is not believed', '127.0.0.1', '6.6.6.6, 203.0.113.9', proxies, '203.0.113.9'],
    ['several headers joined', '10.0.0.5', '203.0.113.9,10.9.9.9', proxies, '203.0.113.9'],
    ['garbage before the trusted hop stops at the proxy', '127.0.0.1', 'not-an-ip', proxies, '127.0.0.1'],
    ['every hop trusted: the leftmost', '127.0.0.1', '10.1.1.1, 10.2.2.2', proxies, '10.1.1.1'],
    ['IPv6 client behind an IPv6 proxy', 'fd00::1', '2001:db8::7', proxies, '2001:db8::7'],
    ['empty header', '127.0.0.1', ' , ', proxies, '127.0.0.1'],
    ['no peer (socket gone)', undefined, '203.0.113.9', proxies, undefined],
  ])('%s', (_name, peer, xff, trusted, expected) => {
    expect(clientAddress(peer as string | undefined, xff as string | undefined, trusted as ReturnType<typeof trustedProxies>)).toBe(expected);
  });
});

describe('trustedProxies', () => {
  it.each([['not-an-ip'], ['10.0.0.0/33'], ['10.0.0.0/x'], ['::1/129'], ['10.0.0.0/8/1'], ['']])('refuses %j with the entry named', (entry) => {
    expect(() => trustedProxies([entry])).toThrow(`"${entry}"`);
  });
  it('matches inside a block and not outside', () => {
    expect(proxies.has('10.255.0.1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
    expect(proxies.has('fdff::1')).toBe(true);
    expect(proxies.has('garbage')).toBe(false);
  });
});
