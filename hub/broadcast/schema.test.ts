// broadcast.yaml zones: multicast TTL and interface only for a group address (table test).
import { describe, expect, it } from 'vitest';
import { broadcastFileSchema, checkBroadcast } from './schema.js';

const zone = (endpoint: Record<string, unknown>) => ({
  zones: [{ id: 'group-a', name: { en: 'Group A', 'zh-CN': 'A组' }, kind: 'area', endpoint }],
});

describe('broadcast zone endpoints', () => {
  it.each([
    ['unicast', { host: '10.0.0.5', port: 5004 }, []],
    ['a multicast group with TTL and interface', { host: '239.255.42.1', port: 5004, ttl: 4, interface: '10.0.0.2' }, []],
    ['TTL on a unicast address', { host: '10.0.0.5', port: 5004, ttl: 4 }, ['zones.0.endpoint.ttl: ttl applies to a multicast group (224.0.0.0/4) only, not 10.0.0.5']],
    ['interface on a unicast address', { host: '10.0.0.5', port: 5004, interface: '10.0.0.2' }, ['zones.0.endpoint.interface: interface applies to a multicast group (224.0.0.0/4) only, not 10.0.0.5']],
  ])('%s', (_name, endpoint, issues) => {
    const file = broadcastFileSchema.parse(zone(endpoint));
    expect(checkBroadcast(file).map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(issues);
  });

  it.each([
    [{ host: '239.255.42.1', port: 5004, ttl: 0 }, 'ttl'],
    [{ host: '239.255.42.1', port: 5004, ttl: 256 }, 'ttl'],
    [{ host: '239.255.42.1', port: 5004, interface: 'eth0' }, 'interface'],
  ])('refuses %j at %s', (endpoint, key) => {
    const r = broadcastFileSchema.safeParse(zone(endpoint));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path.at(-1)).toBe(key);
  });
});
