// The ONVIF camera driver: one connection per camera. Registered in drivers/registry.ts as onvifFactory.
import { DriverWriteError, type BoundPoint, type ConnectionConfig, type DeviceConfig, type Driver, type DriverContext, type DriverFactory, type WriteResult } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { OnvifCamera } from './camera.js';
import { CameraRegistry, CameraUnavailableError, PtzRangeError, UnknownPresetError } from './registry.js';
import { connectionSchema, deviceSchema, sourceSchema, type OnvifConnectionOptions, type OnvifDeviceOptions, type OnvifSource } from './schema.js';

export { CameraRegistry } from './registry.js';
export type { CameraHandle, CameraInfo, PtzCommand, PtzResult } from './registry.js';

export class OnvifDriver implements Driver {
  readonly protocol = 'onvif';
  private readonly cameras = new Map<string, OnvifCamera>();
  private readonly pointCamera = new Map<string, { camera: OnvifCamera; point: BoundPoint<OnvifSource> }>();

  constructor(
    connections: ConnectionConfig<OnvifConnectionOptions>[],
    devices: DeviceConfig<OnvifDeviceOptions>[],
    points: BoundPoint<OnvifSource>[],
    /** Where cameras expose PTZ (tests); default: the hub's, from the context (`services.cameras`), else a private one. */
    private readonly registry?: CameraRegistry,
  ) {
    for (const c of connections) {
      const devs = devices.filter((d) => d.connection === c.id);
      const pts = points.filter((p) => p.connection === c.id);
      const options = devs.find((d) => d.options?.profileToken)?.options ?? {};
      const camera = new OnvifCamera(c.id, c.options, { ids: devs.map((d) => d.id), options }, pts, registry ?? new CameraRegistry());
      this.cameras.set(c.id, camera);
      for (const p of pts) this.pointCamera.set(p.info.id, { camera, point: p });
    }
  }

  camera(id: string): OnvifCamera | undefined {
    return this.cameras.get(id);
  }

  async start(ctx: DriverContext): Promise<void> {
    const shared = ctx.services?.cameras;
    const registry = this.registry ?? (shared instanceof CameraRegistry ? shared : undefined);
    for (const c of this.cameras.values()) c.start(ctx, registry);
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    const entry = this.pointCamera.get(pointId);
    if (!entry) throw new DriverWriteError('unknown_point', `no ONVIF point ${pointId}`);
    if (entry.point.source.kind !== 'preset' || !entry.point.info.writable) {
      throw new DriverWriteError('not_writable', `${pointId} is a camera ${entry.point.source.kind} point; only preset points are writable (PTZ moves go through the camera API)`);
    }
    if (typeof value !== 'string' || !value) throw new DriverWriteError('invalid_value', `${pointId} takes a preset token (non-empty string), got ${JSON.stringify(value)}`);
    try {
      const r = await entry.camera.gotoPresetConfirmed(value);
      return { confirmed: r.confirmed, readBack: r.readBack, detail: r.confirmed ? undefined : 'camera position does not match the preset' };
    } catch (err) {
      if (err instanceof UnknownPresetError || err instanceof PtzRangeError) throw new DriverWriteError('invalid_value', err.message);
      if (err instanceof CameraUnavailableError) throw new DriverWriteError('offline', err.message);
      throw new DriverWriteError('device_error', `camera refused the preset: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.cameras.values()].map((c) => c.stop()));
  }
}

export const onvifFactory: DriverFactory<OnvifConnectionOptions, OnvifDeviceOptions, OnvifSource> = {
  protocol: 'onvif',
  connectionSchema,
  deviceSchema,
  sourceSchema,
  intervalMs: (connection) => connection.pollMs,
  check(devices) {
    const issues = [];
    const seen = new Map<string, number>();
    for (const d of devices) {
      const prev = seen.get(d.connection.id);
      if (prev !== undefined) issues.push({ path: ['devices', d.index, 'connection'], message: `camera connection ${d.connection.id} is already used by devices[${prev}]: one camera device per ONVIF connection` });
      else seen.set(d.connection.id, d.index);
      for (const { index, point } of d.points) {
        const want = point.source.kind === 'event' ? 'binary' : point.source.kind === 'ptz' ? 'analog' : point.source.kind === 'preset' ? 'string' : undefined;
        if (want && point.info.kind !== want) issues.push({ path: ['devices', d.index, 'points', index, 'kind'], message: `an ONVIF ${point.source.kind} point must be ${want}` });
        if (point.source.kind === 'status' && !['multistate', 'string'].includes(point.info.kind)) issues.push({ path: ['devices', d.index, 'points', index, 'kind'], message: 'an ONVIF status point must be multistate or string' });
        if (point.info.writable && point.source.kind !== 'preset') issues.push({ path: ['devices', d.index, 'points', index, 'writable'], message: `an ONVIF ${point.source.kind} point cannot be writable` });
      }
    }
    return issues;
  },
  create: (connections, devices, points) => new OnvifDriver(connections, devices, points),
};
