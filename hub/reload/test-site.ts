// Shared by the reload tests and `npm run bench -- reload`: a config folder written to a temp dir,
// and a `tick` protocol whose drivers publish a counter per point on a fixed period. Every sample
// carries its sequence number as the value and its *intended* time as readTs, so a listener can
// tell a lost sample (a gap in the sequence) and a late one (arrival − intended) apart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { BoundPoint, ConnectionConfig, Driver, DriverContext, DriverFactory, WriteResult } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';

const connectionSchema = z.strictObject({ periodMs: z.number().int().min(1).default(50) });
const sourceSchema = z.strictObject({ n: z.number().int().min(0).default(0) });

/** Every driver the factory built, with its connections and lifecycle, for assertions. */
export interface TickDriverRecord {
  connections: string[];
  points: number;
  started: number;
  stopped: number;
}

export class TickDriver implements Driver {
  readonly protocol = 'tick';
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  readonly writes: Array<[string, PointValue]> = [];

  constructor(
    private readonly connections: ConnectionConfig<{ periodMs: number }>[],
    private readonly points: BoundPoint[],
    readonly record: TickDriverRecord,
  ) {}

  async start(ctx: DriverContext): Promise<void> {
    this.running = true;
    this.record.started++;
    for (const c of this.connections) {
      ctx.status({ connection: c.id, protocol: 'tick', state: 'online', since: Date.now() });
      const ids = this.points.filter((p) => p.connection === c.id).map((p) => p.info.id);
      const period = c.options.periodMs;
      const t0 = Date.now();
      let k = 0;
      // Self-correcting schedule: each tick publishes every tick that is due, stamped with when it was due.
      const tick = () => {
        if (!this.running) return;
        const now = Date.now();
        const batch: Sample[] = [];
        while (t0 + k * period <= now) {
          const due = t0 + k * period;
          for (const id of ids) batch.push({ pointId: id, value: k, quality: 'good', readTs: due });
          k++;
        }
        if (batch.length) ctx.publish(batch);
        this.timers.push(setTimeout(tick, Math.max(0, t0 + k * period - Date.now())));
        if (this.timers.length > 16) this.timers.splice(0, this.timers.length - 2);
      };
      tick();
    }
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    this.writes.push([pointId, value]);
    return { confirmed: true, readBack: value };
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.record.stopped++;
  }
}

export function tickFactory(records: TickDriverRecord[] = []): DriverFactory & { records: TickDriverRecord[] } {
  return {
    protocol: 'tick',
    connectionSchema,
    deviceSchema: z.strictObject({}),
    sourceSchema,
    intervalMs: (c: { periodMs: number }) => c.periodMs,
    create: (connections, _devices, points) => {
      const record: TickDriverRecord = { connections: connections.map((c) => c.id), points: points.length, started: 0, stopped: 0 };
      records.push(record);
      return new TickDriver(connections, points, record);
    },
    records,
  };
}

export const SITE_YAML = `
site:
  id: hq
  name: { en: HQ, zh-CN: 总部 }
  timezone: Asia/Shanghai
  buildings:
    - id: a
      name: { en: Tower A, zh-CN: A座 }
      floors:
        - id: l01
          level: 1
          name: { en: Floor 1, zh-CN: 一层 }
          rooms:
            - { id: room-101, type: office, name: { en: Room 101, zh-CN: 101室 } }
            - { id: room-102, type: office, name: { en: Room 102, zh-CN: 102室 } }
`;

/** A devices file: one connection, one device in room-101 with `n` analog points p-0…p-(n−1). */
export function devicesYaml(connection: string, device: string, n: number, periodMs = 50, room = 'room-101'): string {
  const points = Array.from({ length: n }, (_, i) => `      - { id: p-${i}, name: { en: P${i}, zh-CN: P${i} }, kind: analog, unit: "°C", writable: true, limits: { min: 0, max: 1000000000 }, source: { n: ${i} } }`).join('\n');
  return `connections:
  - { id: ${connection}, protocol: tick, options: { periodMs: ${periodMs} } }
devices:
  - id: ${device}
    name: { en: ${device}, zh-CN: ${device} }
    location: a/l01/${room}
    connection: ${connection}
    points:
${points}
`;
}

export function usersYaml(users: Array<{ username: string; role: string; hash: string }>): string {
  return `users:\n${users.map((u) => `  - { username: ${u.username}, name: { en: ${u.username}, zh-CN: ${u.username} }, role: ${u.role}, password: "${u.hash}" }`).join('\n')}\n`;
}

/** Writes a config folder (relative names → text) under a new temp dir; returns the folder. The data dir is its sibling. */
export function writeConfigDir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-reload-'));
  const dir = path.join(root, 'config');
  for (const [name, text] of Object.entries(files)) writeConfigFile(dir, name, text);
  return dir;
}

export function writeConfigFile(dir: string, name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}
