// The edge's own config reader: one building's slice, and clear refusals.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pointIds, writeTestSite } from '../hub/edge/test-site.js';
import { edgeArgs } from './args.js';
import { EdgeConfigError, loadBuilding } from './site.js';

describe('loadBuilding', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wf-edge-site-'));
    writeTestSite(dir, { modbusPort: 1502, brokerUrl: 'mqtt://127.0.0.1:1883', edgeBuildings: ['b', 'c'] });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("returns only the building's connections, devices and points, with resolved ids", () => {
    const s = loadBuilding(dir, 'c');
    expect(s.connections.map((c) => c.id)).toEqual(['gw-c']);
    expect(s.points.map((p) => p.info.id).sort()).toEqual([pointIds('c').setpoint, pointIds('c').temp]);
    expect(s.points[0].info).toMatchObject({ protocol: 'modbus', intervalMs: 200 });
    expect(s.estate.broker.keepaliveS).toBe(2);
  });

  const refusal = (b: string) => {
    try {
      loadBuilding(dir, b);
    } catch (err) {
      if (err instanceof EdgeConfigError) return err.message;
      throw err;
    }
    return '';
  };

  it('refuses a building that is not in the site, or not served by an edge', () => {
    expect(refusal('zz')).toMatch(/no building "zz"/);
    expect(refusal('a')).toMatch(/buildings has no entry "a"/);
  });

  it('refuses a bad edge.yaml or device source with the file and path', () => {
    writeFileSync(join(dir, 'edge.yaml'), 'broker: { url: http://x }\nbuildings: { b: {} }\n');
    expect(refusal('b')).toMatch(/edge\.yaml.*broker\.url/);
  });
});

describe('edgeArgs', () => {
  it.each([
    [['--site-config', 'config', '--building', 'b'], { siteConfig: 'config', building: 'b' }],
    [['--site-config=cfg', '--building=c', '--data-dir', '/var/lib/wf'], { siteConfig: 'cfg', building: 'c', dataDir: '/var/lib/wf' }],
  ])('%j', (argv, want) => expect(edgeArgs(argv)).toEqual(want));

  it.each([
    [['--building', 'b'], /--site-config is required/],
    [['--site-config', 'x'], /--building is required/],
    [['--site-config'], /needs a value/],
    [['--nope', '1'], /unknown argument --nope/],
  ])('refuses %j', (argv, re) => expect(() => edgeArgs(argv)).toThrow(re));
});
