// Which PA amplifiers the demo runs: one per zone endpoint of config/broadcast.yaml. The simulator
// reads the file itself (a device knows its own address); validating it is the hub's job, so this
// takes only well-formed zones and ignores the rest.
import fs from 'node:fs';
import { parseYamlCached } from '../../lib/yaml-cache.js';

export interface PaZone {
  id: string;
  port: number;
}

/** Zones with an id and a numeric endpoint port; a missing file means no amplifiers. */
export function paZonesOf(doc: unknown): PaZone[] {
  const zones = (doc as { zones?: unknown } | null)?.zones;
  if (!Array.isArray(zones)) return [];
  const out: PaZone[] = [];
  for (const z of zones) {
    const id = (z as { id?: unknown })?.id;
    const port = (z as { endpoint?: { port?: unknown } })?.endpoint?.port;
    if (typeof id === 'string' && typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) out.push({ id, port });
  }
  return out;
}

/** Parsed through the persistent YAML cache (lib/yaml-cache.ts): the hub parses the same file, and a cold parse costs ~85 ms of start-up CPU here. */
export function readPaZones(file: string): PaZone[] {
  if (!fs.existsSync(file)) return [];
  return paZonesOf(parseYamlCached(fs.readFileSync(file, 'utf8')));
}
