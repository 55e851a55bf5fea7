// RTSP-only cameras (`protocol: rtsp`): no ONVIF, just a stream URL, credentials, a transport and an
// optional snapshot URL. The driver registers the camera in the shared camera registry (so the video
// gateway can stream it) and checks the server with an RTSP OPTIONS request every pollMs; its only
// point kind is the status. Registered in drivers/registry.ts as rtspFactory.
import net from 'node:net';
import { z } from 'zod';
import type { BoundPoint, ConnectionConfig, ConnectionState, DeviceConfig, Driver, DriverContext, DriverFactory, WriteResult } from '../../contracts/driver.js';
import { DriverWriteError } from '../../contracts/driver.js';
import type { Sample } from '../../contracts/point.js';
import { CameraRegistry, CameraUnavailableError, type CameraHandle, type CameraInfo, type PtzResult, type StreamAccess } from './registry.js';
import { STATUS_STATES } from './schema.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const rtspConnectionSchema = z.strictObject({
  /** rtsp://host[:port]/path, without user:password (give those below: they are kept out of logs). */
  url: z
    .string()
    .url()
    .refine((u) => /^rtsps?:$/.test(new URL(u).protocol), 'must be an rtsp:// or rtsps:// URL')
    .refine((u) => !new URL(u).username && !new URL(u).password, 'must not carry user:password; use username and password'),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  transport: z.enum(['tcp', 'udp']).default('tcp'),
  /** HTTP(S) JPEG snapshot (same credentials, Basic or Digest). */
  snapshotUrl: z.string().url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http:// or https:// URL').optional(),
  /** What the camera sends, if known (H265 is transcoded from the start). */
  codec: z.enum(['H264', 'H265']).optional(),
  /** How often the server is checked (RTSP OPTIONS) and the status republished. */
  pollMs: int(1000, 3_600_000).default(10_000),
  /** Live viewers of this camera at once (default: the gateway's limit, 16). */
  maxViewers: int(1, 256).optional(),
  timeoutMs: int(100, 60_000).default(5000),
}).refine((o) => (o.username === undefined) === (o.password === undefined), { message: 'give username and password together', path: ['username'] });
export type RtspConnectionOptions = z.output<typeof rtspConnectionSchema>;
export const rtspDeviceSchema = z.strictObject({});
export const rtspSourceSchema = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('status') })]);
export type RtspSource = z.output<typeof rtspSourceSchema>;

/** Any RTSP answer (even 401) within the timeout means the server is there (pure I/O helper). */
export function rtspOptions(url: string, timeoutMs: number): Promise<string> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'rtsps:' ? 322 : 554));
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (err?: Error, line?: string) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(line!);
    };
    const timer = setTimeout(() => done(new Error(`no RTSP answer from ${u.host} in ${timeoutMs} ms`)), timeoutMs);
    let got = '';
    sock.on('connect', () => sock.write(`OPTIONS ${u.protocol}//${u.host}${u.pathname} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: watchfloor\r\n\r\n`));
    sock.on('data', (d) => {
      got += d.toString('latin1');
      const line = got.split('\r\n')[0];
      if (got.includes('\r\n')) done(/^RTSP\/1\.\d \d{3}/.test(line) ? undefined : new Error(`${u.host} is not an RTSP server`), line);
    });
    sock.on('error', (e) => done(new Error(`${u.host}: ${e.message}`)));
  });
}

export class RtspCamera implements CameraHandle {
  private state: ConnectionState = 'connecting';
  private detail?: string;
  private since = Date.now();
  private timer?: NodeJS.Timeout;
  private ctx?: DriverContext;
  private stopped = true;

  constructor(
    readonly id: string,
    private readonly o: RtspConnectionOptions,
    private readonly devices: string[],
    private readonly points: BoundPoint<RtspSource>[],
    private registry: CameraRegistry,
  ) {}

  info(): CameraInfo {
    return { id: this.id, devices: this.devices, state: this.state, detail: this.detail, since: this.since, streamUri: this.o.url, snapshotUri: this.o.snapshotUrl, codec: this.o.codec, ptz: false, maxViewers: this.o.maxViewers };
  }

  streamAccess(): StreamAccess {
    return { credentials: this.o.username !== undefined ? { username: this.o.username, password: this.o.password ?? '' } : undefined, transport: this.o.transport };
  }

  async ptz(): Promise<PtzResult> {
    throw new CameraUnavailableError(`camera ${this.id} is an RTSP-only camera: no PTZ`);
  }

  start(ctx: DriverContext, registry: CameraRegistry): void {
    this.ctx = ctx;
    this.registry = registry;
    this.stopped = false;
    registry.register(this);
    this.setState('connecting');
    void this.check();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.registry.unregister(this.id, this);
  }

  private async check(): Promise<void> {
    try {
      await rtspOptions(this.o.url, this.o.timeoutMs);
      if (this.stopped) return;
      if (this.state !== 'online' && this.state !== 'connecting') this.ctx!.log.info({ camera: this.id }, `camera ${this.id} back online`);
      this.setState('online');
    } catch (err) {
      if (this.stopped) return;
      if (this.state !== 'offline') this.ctx!.log.warn({ camera: this.id, err: (err as Error).message }, `camera ${this.id} is unreachable`);
      this.setState('offline', `unreachable: ${(err as Error).message}`);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.check(), this.o.pollMs);
  }

  private setState(state: ConnectionState, detail?: string): void {
    const changed = state !== this.state || detail !== this.detail;
    if (state !== this.state) this.since = Date.now();
    this.state = state;
    this.detail = detail;
    this.ctx!.status({ connection: this.id, protocol: 'rtsp', state, detail, since: this.since });
    const now = Date.now();
    const name = state === 'offline' || state === 'stopped' ? 'unreachable' : state;
    const batch: Sample[] = this.points.map((p) => ({ pointId: p.info.id, value: p.info.kind === 'string' ? name : STATUS_STATES.indexOf(name as (typeof STATUS_STATES)[number]), quality: 'good', detail, readTs: now }));
    if (batch.length) this.ctx!.publish(batch);
    if (changed) this.registry.emit(this.info());
  }
}

export class RtspDriver implements Driver {
  readonly protocol = 'rtsp';
  private readonly cameras: RtspCamera[] = [];

  constructor(connections: ConnectionConfig<RtspConnectionOptions>[], devices: DeviceConfig[], points: BoundPoint<RtspSource>[], private readonly registry?: CameraRegistry) {
    for (const c of connections) {
      this.cameras.push(new RtspCamera(c.id, c.options, devices.filter((d) => d.connection === c.id).map((d) => d.id), points.filter((p) => p.connection === c.id), registry ?? new CameraRegistry()));
    }
  }

  async start(ctx: DriverContext): Promise<void> {
    const shared = ctx.services?.cameras;
    const registry = this.registry ?? (shared instanceof CameraRegistry ? shared : new CameraRegistry());
    for (const c of this.cameras) c.start(ctx, registry);
  }

  async write(pointId: string): Promise<WriteResult> {
    throw new DriverWriteError('not_writable', `${pointId} is an RTSP camera status point: not writable`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.cameras.map((c) => c.stop()));
  }
}

export const rtspFactory: DriverFactory<RtspConnectionOptions, Record<string, never>, RtspSource> = {
  protocol: 'rtsp',
  connectionSchema: rtspConnectionSchema,
  deviceSchema: rtspDeviceSchema,
  sourceSchema: rtspSourceSchema,
  intervalMs: (c) => c.pollMs,
  check(devices) {
    const issues = [];
    const seen = new Map<string, number>();
    for (const d of devices) {
      const prev = seen.get(d.connection.id);
      if (prev !== undefined) issues.push({ path: ['devices', d.index, 'connection'], message: `camera connection ${d.connection.id} is already used by devices[${prev}]: one camera device per RTSP connection` });
      else seen.set(d.connection.id, d.index);
      for (const { index, point } of d.points) {
        if (!['multistate', 'string'].includes(point.info.kind)) issues.push({ path: ['devices', d.index, 'points', index, 'kind'], message: 'an RTSP camera status point must be multistate or string' });
        if (point.info.writable) issues.push({ path: ['devices', d.index, 'points', index, 'writable'], message: 'an RTSP camera status point cannot be writable' });
      }
    }
    return issues;
  },
  create: (connections, devices, points) => new RtspDriver(connections, devices, points),
};
