// Reads a driver folder's sample.yaml through that driver's own schemas, shaped as the config loader
// hands devices to `check()`: one helper so every driver's "the README sample stays valid" test reads alike.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DriverFactory } from '../../contracts/driver.js';

interface SampleDoc {
  connections: Array<{ id: string; protocol: string; options: unknown }>;
  devices: Array<{ id: string; connection: string; location: string; options: unknown; points: Array<{ id: string; kind: 'analog' | 'binary' | 'multistate'; writable?: boolean; source: unknown }> }>;
}

export function loadDriverSample<C, D, S>(factory: DriverFactory<C, D, S>, sampleUrl: URL, intervalMs: number) {
  const doc = parse(readFileSync(sampleUrl, 'utf8')) as SampleDoc;
  const connections = doc.connections.map((c) => ({ id: c.id, protocol: c.protocol, options: factory.connectionSchema.parse(c.options) }));
  const devices = doc.devices.map((d, index) => ({
    index,
    device: { id: d.id, connection: d.connection, options: factory.deviceSchema.parse(d.options) },
    connection: connections.find((c) => c.id === d.connection)!,
    points: d.points.map((p, i) => ({
      index: i,
      point: {
        device: d.id, connection: d.connection, source: factory.sourceSchema.parse(p.source),
        info: { id: `hq/${d.location}/${d.id}/${p.id}`, name: { en: p.id, 'zh-CN': p.id }, kind: p.kind, writable: p.writable ?? false, device: d.id, protocol: factory.protocol, intervalMs },
      },
    })),
  }));
  return { connections, devices };
}
