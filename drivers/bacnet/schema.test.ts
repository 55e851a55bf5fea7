import { describe, expect, it } from 'vitest';
import { checkBacnetConfig } from './check.js';
import { connectionSchema, deviceSchema, sourceSchema } from './schema.js';
import { bacnetPoint, bacnetRig } from './test-support.js';

const msg = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? 'ok' : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

describe('BACnet schemas', () => {
  it('fills connection defaults', () => {
    expect(connectionSchema.parse({ host: '10.0.0.5' })).toEqual({
      host: '10.0.0.5', port: 47808, localAddress: '0.0.0.0', localPort: 0, pollMs: 5000, timeoutMs: 3000,
      maxObjectsPerRequest: 16, maxInFlight: 8, cov: { enabled: true, lifetimeS: 300, confirmed: false },
    });
  });
  it.each([
    [{ host: 'h', bogus: 1 }, /Unrecognized key/],
    [{ port: 0 }, /port/],
    [{ cov: { lifetimeS: 5 } }, /cov.lifetimeS/],
    [{ maxObjectsPerRequest: 0 }, /maxObjectsPerRequest/],
  ])('refuses connection %j', (input, re) => expect(msg(connectionSchema.safeParse(input))).toMatch(re));

  it.each([
    [{ instance: 4194303 }, /instance/],
    [{ instance: 1, unitId: 2 }, /Unrecognized key/],
  ])('refuses device %j', (input, re) => expect(msg(deviceSchema.safeParse(input))).toMatch(re));

  it.each([
    [{ object: 'analog-value:3' }, 'ok'],
    [{ object: 'analog-value:3', priority: 16, cov: false }, 'ok'],
    [{ object: 'analog-value' }, 'object: must be <object-type>:<instance>, e.g. analog-value:3'],
    [{ object: 'calendar:1' }, /object: unknown object type calendar/],
    [{ object: 'analog-input:4194303' }, 'object: instance must be 0..4194302'],
    [{ object: 'binary-output:1', priority: 6 }, /priority 6 is reserved/],
    [{ object: 'binary-output:1', priority: 17 }, /priority/],
    [{ object: 'binary-output:1', table: 'coil' }, /Unrecognized key/],
  ])('source %j → %s', (input, want) => {
    const got = msg(sourceSchema.safeParse(input));
    if (typeof want === 'string') expect(got).toBe(want);
    else expect(got).toMatch(want);
  });
});

describe('checkBacnetConfig', () => {
  const check = (points: ReturnType<typeof bacnetPoint>[]) => {
    const r = bacnetRig(47808, 1, points);
    return checkBacnetConfig([{ index: 0, device: r.devices[0], connection: r.connections[0], points: points.map((point, index) => ({ index, point })) }]);
  };
  it('accepts matching kinds', () => expect(check([bacnetPoint('a', 'analog-input:1'), bacnetPoint('b', 'binary-output:1', { writable: true })])).toEqual([]));
  it('refuses a kind that does not fit the object', () => {
    expect(check([bacnetPoint('a', 'analog-input:1', { kind: 'binary' })])).toEqual([{ path: ['devices', 0, 'points', 0, 'kind'], message: 'analog-input needs kind analog, not binary' }]);
  });
  it('refuses writable inputs', () => {
    expect(check([bacnetPoint('a', 'binary-input:1', { writable: true })])[0]).toMatchObject({ path: ['devices', 0, 'points', 0, 'writable'] });
  });
  it('refuses two points on one object', () => {
    expect(check([bacnetPoint('a', 'analog-value:1'), bacnetPoint('b', 'analog-value:1')])).toEqual([
      { path: ['devices', 0, 'points', 1, 'source', 'object'], message: 'analog-value:1 of device 1 is already point hq/a/b1/plant-b103/ddc-b1/a' },
    ]);
  });
});
