import { describe, expect, it } from 'vitest';
import { connectionSchema, deviceSchema, intervalMs, sourceSchema } from './schema.js';
import { groupByMonitoring, MAX_ITEMS_PER_CALL } from './subscribe.js';
import { opcuaFactory } from './index.js';

const firstIssue = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? 'ok' : `${r.error!.issues[0].path.join('.')}: ${r.error!.issues[0].message}`;

describe('connection schema', () => {
  it('fills defaults', () => {
    expect(connectionSchema.parse({ endpointUrl: 'opc.tcp://127.0.0.1:4840' })).toEqual({
      endpointUrl: 'opc.tcp://127.0.0.1:4840',
      securityMode: 'None',
      securityPolicy: 'None',
      trustServerCertificate: 'manual',
      publishingIntervalMs: 1000,
      requestTimeoutMs: 10000,
    });
  });
  it.each([
    [{ endpointUrl: 'http://x:1' }, 'endpointUrl: must look like opc.tcp://host:port'],
    [{ endpointUrl: 'opc.tcp://h:1', colour: 'red' }, 'colour'],
    [{ endpointUrl: 'opc.tcp://h:1', securityMode: 'SignAndEncrypt' }, 'securityPolicy: securityMode SignAndEncrypt needs securityPolicy Basic256Sha256'],
    [{ endpointUrl: 'opc.tcp://h:1', securityPolicy: 'Basic256Sha256' }, 'securityPolicy: securityMode None needs securityPolicy None'],
    [{ endpointUrl: 'opc.tcp://h:1', password: 'x' }, 'username: password given without username'],
    [{ endpointUrl: 'opc.tcp://h:1', trustServerCertificate: 'always' }, 'trustServerCertificate'],
    [{ endpointUrl: 'opc.tcp://h:1', backoff: { initialMs: 10 } }, 'backoff.initialMs'],
  ])('refuses %j', (input, expected) => expect(firstIssue(connectionSchema.safeParse(input))).toContain(expected));
});

describe('source schema', () => {
  it.each([
    [{ nodeId: 'nsu=urn:watchfloor:hvac;s=AHU-1.SupplyAirTemp' }, 'ok'],
    [{ nodeId: 'ns=2;i=5', mode: 'poll', pollMs: 500 }, 'ok'],
    [{ nodeId: 'ns=2;i=5', deadband: { type: 'percent', value: 2 }, samplingIntervalMs: 250, queueSize: 5 }, 'ok'],
    [{ nodeId: 'AHU-1' }, 'nodeId: "AHU-1" is not a NodeId'],
    [{ nodeId: 'ns=2;i=5', address: 3 }, 'address'],
    [{ nodeId: 'ns=2;i=5', mode: 'poll', deadband: { type: 'absolute', value: 1 } }, 'mode: samplingIntervalMs/queueSize/deadband apply to mode subscribe only'],
    [{ nodeId: 'ns=2;i=5', pollMs: 500 }, 'pollMs: pollMs applies to mode poll only'],
    [{ nodeId: 'ns=2;i=5', deadband: { type: 'percent', value: 150 } }, 'deadband.value: percent deadband must be 0..100'],
    [{ nodeId: 'ns=2;i=5', deadband: { type: 'relative', value: 1 } }, 'deadband.type'],
  ])('%j → %s', (input, expected) => expect(firstIssue(sourceSchema.safeParse(input))).toContain(expected));
});

describe('device schema', () => {
  it('is strict', () => {
    expect(deviceSchema.safeParse({}).success).toBe(true);
    expect(deviceSchema.safeParse({ unitId: 1 }).success).toBe(false);
  });
});

describe('intervalMs (staleness)', () => {
  const conn = connectionSchema.parse({ endpointUrl: 'opc.tcp://h:1', publishingIntervalMs: 500 });
  it.each([
    [{ nodeId: 'i=1' }, 5000],
    [{ nodeId: 'i=1', samplingIntervalMs: 60000 }, 60000],
    [{ nodeId: 'i=1', deadband: { type: 'absolute', value: 1 } }, 5000],
    [{ nodeId: 'i=1', mode: 'poll', pollMs: 2000 }, 2000],
    [{ nodeId: 'i=1', mode: 'poll' }, 1000],
  ])('%j → %i', (src, ms) => expect(intervalMs(conn, sourceSchema.parse(src))).toBe(ms));
});

describe('monitoring groups', () => {
  it('groups equal parameters and caps the request size', () => {
    const mk = (source: object) => ({ point: { source: sourceSchema.parse({ nodeId: 'i=1', ...source }) } });
    const slots = [...Array.from({ length: MAX_ITEMS_PER_CALL + 5 }, () => mk({})), mk({ deadband: { type: 'absolute', value: 1 } }), mk({ samplingIntervalMs: 1000 })];
    const groups = groupByMonitoring(slots, 1000);
    // samplingIntervalMs 1000 equals the publishing interval default, so it joins the first group.
    expect(groups.map((g) => g.length)).toEqual([MAX_ITEMS_PER_CALL, 6, 1]);
  });
});

describe('factory check', () => {
  it('flags the same node used twice on one connection', () => {
    const connection = { id: 'c1', protocol: 'opcua', options: connectionSchema.parse({ endpointUrl: 'opc.tcp://h:1' }) };
    const p = (id: string) => ({ info: { id } as never, device: 'd', connection: 'c1', source: sourceSchema.parse({ nodeId: 'ns=2;s=A' }) });
    const issues = opcuaFactory.check!([{ index: 4, device: { id: 'd', connection: 'c1', options: {} }, connection, points: [{ index: 0, point: p('x/a') }, { index: 1, point: p('x/b') }] }]);
    expect(issues).toEqual([{ path: [4, 'points', 1, 'source', 'nodeId'], message: 'node ns=2;s=A is already used by x/a on connection c1' }]);
  });
});

describe('sample.yaml and the demo hvac.yaml', () => {
  it.each(['drivers/opcua/sample.yaml', 'config/devices/hvac.yaml'])('%s passes the driver schemas', async (file) => {
    const { parse } = await import('yaml');
    const fs = await import('node:fs');
    const doc = parse(fs.readFileSync(file, 'utf8'));
    for (const c of doc.connections) expect(firstIssue(connectionSchema.safeParse(c.options)), c.id).toBe('ok');
    for (const d of doc.devices) {
      expect(firstIssue(deviceSchema.safeParse(d.options)), d.id).toBe('ok');
      for (const p of d.points) expect(firstIssue(sourceSchema.safeParse(p.source)), `${d.id}/${p.id}`).toBe('ok');
    }
  });
});
