// The cameras the hub knows: configured ONVIF connections (names and rooms from config), their
// live state from the driver's registry, and their stream status from the gateway.
import type { LocalizedText } from '../../contracts/point.js';
import type { CameraHandle, CameraInfo, CameraRegistry } from '../../drivers/onvif/registry.js';
import type { LoadedConfig } from '../config/types.js';
import type { CameraDirectory, CameraSourceInfo } from './gateway.js';
import type { StreamStatus } from './stream.js';

/** The REST shape (contracts/cameras.ts), shared with the console. */
export type { CameraView } from '../../contracts/cameras.js';
import type { CameraView } from '../../contracts/cameras.js';

export class CameraCatalog implements CameraDirectory {
  /**
   * A Map, not the record itself: ids come from URLs (`/video/constructor`), and a plain-object
   * lookup would find Object.prototype members and open a phantom stream (issue 11 item 3).
   */
  private readonly extra: ReadonlyMap<string, { streamUri: string; codec?: string; name?: string }>;
  private streamStatus: (id: string) => StreamStatus | undefined = () => undefined;

  constructor(
    private readonly config: Pick<LoadedConfig, 'connections' | 'devices'>,
    private readonly registry: CameraRegistry,
    /** Cameras not in config (tests, ad-hoc): id → RTSP URL. */
    extra: Record<string, { streamUri: string; codec?: string; name?: string }> = {},
  ) {
    this.extra = new Map(Object.entries(extra));
  }

  useStreamStatus(f: (id: string) => StreamStatus | undefined): void {
    this.streamStatus = f;
  }

  ids(): string[] {
    const ids = new Set<string>(this.config.connections.filter((c) => c.protocol === 'onvif').map((c) => c.id));
    for (const info of this.registry.list()) ids.add(info.id);
    for (const id of this.extra.keys()) ids.add(id);
    return [...ids].sort();
  }

  get(id: string): CameraSourceInfo | undefined {
    const fixed = this.extra.get(id);
    if (fixed) return { id, streamUri: fixed.streamUri, codec: fixed.codec };
    if (!this.ids().includes(id)) return undefined;
    const info = this.registry.get(id)?.info();
    return { id, streamUri: info?.streamUri, codec: info?.codec };
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
    const extra = this.extra.get(id);
    return {
      id,
      name: dev?.name ?? { en: extra?.name ?? id, 'zh-CN': extra?.name ?? id },
      location: dev ? `${dev.location.building}/${dev.location.floor}/${dev.location.room}` : undefined,
      devices: devs.map((d) => d.id),
      state: info?.state ?? (extra ? 'online' : 'connecting'),
      detail: info?.detail,
      since: info?.since,
      codec: info?.codec ?? extra?.codec,
      width: info?.width, height: info?.height, fps: info?.fps,
      ptz: info?.ptz ?? false,
      limits: info?.limits,
      presets: info?.presets,
      stream: this.streamStatus(id) ?? { state: 'idle', viewers: 0 },
      videoPath: `/video/${id}`,
    };
  }
}
