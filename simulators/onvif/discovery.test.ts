// WS-Discovery of the simulated cameras, found by three independent probes: the driver's own
// (unicast and multicast), the `npm run onvif:discover` command, and node-onvif's startProbe.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { discover } from '../../drivers/onvif/discover.js';
import { matchesTypes, parseProbe } from './discovery.js';
import { startOnvifSimulator, type OnvifSimulator } from './index.js';

const run = promisify(execFile);
// node-onvif ships no types: a singleton with startProbe(): Promise<[{urn, name, xaddrs, scopes}]>.
const nodeOnvif = createRequire(import.meta.url)('node-onvif') as { startProbe(): Promise<Array<{ urn: string; name: string; xaddrs: string[] }>> };

describe('WS-Discovery answers', () => {
  let sim: OnvifSimulator;
  const ours = () => new Set(sim.cameras.map((c) => `http://127.0.0.1:${c.onvifPort}/onvif/device_service`));

  beforeAll(async () => {
    sim = await startOnvifSimulator({
      cameras: [{ id: 'x1', name: 'Crossing 1 north', video: false }, { id: 'x2', name: 'Crossing 2', video: false }],
      discovery: { multicast: true },
    });
  }, 30_000);
  afterAll(async () => sim?.stop());

  it('parses probes and matches the ONVIF types (pure)', () => {
    const p = parseProbe('<s:Envelope><s:Header><a:MessageID>uuid:1</a:MessageID></s:Header><s:Body><d:Probe><d:Types>dp0:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>');
    expect(p).toEqual({ messageId: 'uuid:1', types: ['dp0:NetworkVideoTransmitter'] });
    expect(parseProbe('<s:Envelope><s:Body><d:Hello/></s:Body></s:Envelope>')).toBeUndefined();
    expect(matchesTypes([])).toBe(true);
    expect(matchesTypes(['tds:Device'])).toBe(true);
    expect(matchesTypes(['dp0:NetworkVideoDisplay'])).toBe(false);
  });

  it('the driver finds both cameras by unicast probe, with names and service addresses, and not a stopped one', async () => {
    const found = await discover(500, { multicast: false, unicast: [{ address: '127.0.0.1', port: sim.discovery!.unicastPort }] });
    expect(new Set(found.flatMap((f) => f.xaddrs))).toEqual(ours());
    expect(found.map((f) => decodeURIComponent(f.scopes.find((s) => s.includes('/name/'))!.split('/').pop()!)).sort()).toEqual(['Crossing 1 north', 'Crossing 2']);
    expect(found.every((f) => /^urn:uuid:[0-9a-f-]{36}$/.test(f.address))).toBe(true);
    await sim.stopCamera('x2');
    try {
      const after = await discover(400, { multicast: false, unicast: [{ address: '127.0.0.1', port: sim.discovery!.unicastPort }] });
      expect(after.flatMap((f) => f.xaddrs)).toEqual([`http://127.0.0.1:${sim.cameras[0].onvifPort}/onvif/device_service`]);
    } finally {
      await sim.startCamera('x2');
    }
  });

  it('joined the multicast group; the driver finds the cameras by multicast probe', async () => {
    expect(sim.discovery!.multicast).toBe(true);
    const found = await discover(800);
    const mine = found.flatMap((f) => f.xaddrs).filter((x) => ours().has(x));
    expect(new Set(mine)).toEqual(ours());
  });

  it('node-onvif (an independent client) finds them by its multicast probe', async () => {
    const list = await nodeOnvif.startProbe();
    const mine = list.filter((d) => d.xaddrs.some((x) => ours().has(x)));
    expect(mine.map((d) => decodeURIComponent(d.name)).sort()).toEqual(['Crossing 1 north', 'Crossing 2']);
  }, 20_000);

  it('`npm run onvif:discover` prints config for them (credentials as placeholders)', async () => {
    const { stdout } = await run('npx', ['tsx', 'drivers/onvif/discover.ts', '--timeout', '600', '--no-multicast', '--unicast', `127.0.0.1:${sim.discovery!.unicastPort}`], { cwd: process.cwd(), timeout: 30_000 });
    const cfg = parse(stdout);
    expect(cfg.connections.map((c: { options: { port: number } }) => c.options.port).sort()).toEqual(sim.cameras.map((c) => c.onvifPort).sort());
    expect(cfg.connections[0].options.password).toBe('CHANGE-ME');
  }, 40_000);
});
