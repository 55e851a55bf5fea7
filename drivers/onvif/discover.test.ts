import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configFor, probeMatchOf } from './discover.js';
import { connectionSchema, sourceSchema } from './schema.js';

const answer = (name: string, xaddrs: string) => ({
  probeMatches: { probeMatch: { endpointReference: { address: `urn:uuid:${name}` }, XAddrs: xaddrs, scopes: `onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/${name}` } },
});

describe('onvif:discover output', () => {
  it('turns probe answers into config that validates (credentials as placeholders)', () => {
    const found = [answer('Gate%20Cam', 'http://10.0.0.5/onvif/device_service http://[fe80::1]/onvif/device_service'), answer('Gate%20Cam', 'http://10.0.0.6:8080/onvif/dev')].map(probeMatchOf).map((m) => m!);
    const cfg = parse(configFor(found));
    expect(cfg.connections.map((c: any) => c.id)).toEqual(['cam-gate-cam', 'cam-gate-cam-2']);
    expect(cfg.connections[0].options).toEqual({ host: '10.0.0.5', port: 80, username: 'CHANGE-ME', password: 'CHANGE-ME' });
    expect(cfg.connections[1].options).toMatchObject({ host: '10.0.0.6', port: 8080, path: '/onvif/dev' });
    for (const c of cfg.connections) expect(connectionSchema.safeParse(c.options).success).toBe(true);
    for (const p of cfg.devices[0].points) expect(sourceSchema.safeParse(p.source).success).toBe(true);
    expect(cfg.devices[0].name.en).toBe('Gate Cam');
  });
  it('ignores answers without addresses', () => {
    expect(probeMatchOf({ probeMatches: { probeMatch: { XAddrs: '' } } })).toBeUndefined();
    expect(probeMatchOf({})).toBeUndefined();
  });
});
