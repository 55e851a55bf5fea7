// The sample in the README must stay valid: schemas and cross-checks accept it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bacnetFactory } from './index.js';

interface SampleDoc {
  connections: Array<{ id: string; protocol: string; options: unknown }>;
  devices: Array<{ id: string; connection: string; location: string; options: unknown; points: Array<{ id: string; kind: 'analog' | 'binary' | 'multistate'; writable?: boolean; source: unknown }> }>;
}

describe('sample.yaml', () => {
  it('passes the driver schemas and check()', () => {
    const doc = parse(readFileSync(new URL('./sample.yaml', import.meta.url), 'utf8')) as SampleDoc;
    const connections = doc.connections.map((c) => ({ id: c.id, protocol: c.protocol, options: bacnetFactory.connectionSchema.parse(c.options) }));
    const devices = doc.devices.map((d, index) => ({
      index,
      device: { id: d.id, connection: d.connection, options: bacnetFactory.deviceSchema.parse(d.options) },
      connection: connections.find((c) => c.id === d.connection)!,
      points: d.points.map((p, i) => ({
        index: i,
        point: {
          device: d.id, connection: d.connection, source: bacnetFactory.sourceSchema.parse(p.source),
          info: { id: `hq/${d.location}/${d.id}/${p.id}`, name: { en: p.id, 'zh-CN': p.id }, kind: p.kind, writable: p.writable ?? false, device: d.id, protocol: 'bacnet', intervalMs: 5000 },
        },
      })),
    }));
    expect(connections[0].options.cov).toEqual({ enabled: true, lifetimeS: 300, confirmed: false });
    expect(devices[0].points).toHaveLength(6);
    expect(devices[0].points[1].point.source.priority).toBe(8);
    expect(bacnetFactory.check!(devices)).toEqual([]);
  });
});
