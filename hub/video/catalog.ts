// The cameras the hub knows: configured ONVIF and RTSP-only connections (names and rooms from
// config), their live state from the drivers' registry, and their stream status from the gateway.
// Credentials pass through get() to the gateway only; view() (the REST shape) never carries them.
import { isCameraProtocol } from '../../contracts/cameras.js';
import type { CameraHandle, CameraInfo, CameraRegistry } from '../../drivers/onvif/registry.js';
import type { LoadedConfig } from '../config/types.js';
import type { CameraDirectory, CameraSourceInfo } from './gateway.js';
import type { StreamStatus } from './stream.js';

/** The REST shape (contracts/cameras.ts), shared with the console. */
export type { CameraView } from '../../contracts/cameras.js';
import type { CameraView } from '../../contracts/cameras.js';

export class CameraCatalog implements CameraDirectory {
  private streamStatus: (id: string) => StreamStatus | undefined = () => undefined;

  constructor(
    private readonly config: Pick<LoadedConfig, 'connections' | 'devices'>,
    private readonly registry: CameraRegistry,
  ) {}

  useStreamStatus(f: (id: string) => StreamStatus | undefined): void {
    this.streamStatus = f;
  }

  ids(): string[] {
    const ids = new Set<string>(this.config.connections.filter((c) => isCameraProtocol(c.protocol)).map((c) => c.id));
    for (const info of this.registry.list()) ids.add(info.id);
    return [...ids].sort();
  }

  /** What the gateway needs to open the stream (credentials included: never log or return this). */
  get(id: string): CameraSourceInfo | undefined {
    // ids() is a list, not an object lookup: `/video/constructor` finds nothing (issue 11 item 3).
    if (!this.ids().includes(id)) return undefined;
    const handle = this.registry.get(id);
    const info = handle?.info();
    const access = handle?.streamAccess?.();
    return { id, streamUri: info?.streamUri, codec: info?.codec, snapshotUri: info?.snapshotUri, maxViewers: info?.maxViewers, credentials: access?.credentials, transport: access?.transport };
  }

  handle(id: string): CameraHandle | undefined {
    return this.registry.get(id);
  }

  /** Camera id for an alarm action's `camera`: a connection id, or a device (equipment) id on it. */
  resolve(ref: string): string | undefined {
    if (this.ids().includes(ref)) return ref;
    const equipment = ref.split('/').filter(Boolean).at(-1);
    const dev = this.config.devices.find((d) => d.id === equipment || `${d.location.building}/${d.location.floor}/${d.location.room}/${d.id}` === ref);
    return dev && this.ids().includes(dev.connection) ? dev.connection : undefined;
  }

  view(id: string): CameraView | undefined {
    if (!this.ids().includes(id)) return undefined;
    const info = this.registry.get(id)?.info();
    const devs = this.config.devices.filter((d) => d.connection === id);
    const dev = devs[0];
    return {
      id,
      kind: this.config.connections.find((c) => c.id === id)?.protocol === 'rtsp' ? 'rtsp' : 'onvif',
      name: dev?.name ?? { en: id, 'zh-CN': id },
      location: dev ? `${dev.location.building}/${dev.location.floor}/${dev.location.room}` : undefined,
      devices: devs.map((d) => d.id),
      state: info?.state ?? 'connecting',
      detail: info?.detail,
      since: info?.since,
      codec: info?.codec,
      width: info?.width, height: info?.height, fps: info?.fps,
      ptz: info?.ptz ?? false,
      limits: info?.limits,
      presets: info?.presets,
      stream: this.streamStatus(id) ?? { state: 'idle', viewers: 0 },
      videoPath: `/video/${id}`,
    };
  }
}
