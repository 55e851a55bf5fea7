// One camera connection: connect with WS-Security, read what the camera is, pull its events,
// poll its PTZ status, reconnect with backoff, and answer typed PTZ commands.
import type { BoundPoint, ConnectionState, DriverContext } from '../../contracts/driver.js';
import type { Quality, Sample } from '../../contracts/point.js';
import { isAuthFailure } from './backoff.js';
import { reconnectDelay } from '../backoff.js';
import { call, connect, createCam, limitsOf, positionOf, presetsOf, type RawCam } from './client.js';
import { decodeNotification, eventValue } from './events.js';
import { CameraUnavailableError, PresetExistsError, PtzRangeError, UnknownPresetError, type CameraHandle, type CameraInfo, type CameraRegistry, type PtzCommand, type PtzLimits, type PtzPosition, type PtzPreset, type PtzResult, type Range, type StreamAccess } from './registry.js';
import { STATUS_STATES, type OnvifConnectionOptions, type OnvifDeviceOptions, type OnvifSource } from './schema.js';

const RENEW_EVERY_MS = 60_000;
const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30_000, authFailedMs: 300_000 };

export class OnvifCamera implements CameraHandle {
  private ctx?: DriverContext;
  private cam?: RawCam;
  private gen = 0;
  private stopped = true;
  private timers = new Set<NodeJS.Timeout>();
  private attempt = 0;
  private state: ConnectionState = 'connecting';
  private detail?: string;
  private since = Date.now();
  private profileToken?: string;
  private meta: Partial<CameraInfo> = {};
  private limits: PtzLimits = { pan: [-1, 1], tilt: [-1, 1], zoom: [0, 1] };
  private presets: PtzPreset[] = [];
  private position?: PtzPosition;
  /** Latest value per event point (undefined until the camera told us). */
  private readonly eventValues = new Map<string, boolean>();

  constructor(
    readonly id: string,
    private readonly options: OnvifConnectionOptions,
    private readonly device: { ids: string[]; options: OnvifDeviceOptions },
    private readonly points: BoundPoint<OnvifSource>[],
    /** Where the camera exposes itself for PTZ; start() may hand over the hub's instead. */
    private registry: CameraRegistry,
  ) {}

  info(): CameraInfo {
    return {
      id: this.id, devices: this.device.ids, state: this.state, detail: this.detail, since: this.since,
      ptz: !!this.profileToken && this.meta.ptz === true, limits: this.limits, presets: this.presets, maxViewers: this.options.maxViewers, ...this.meta,
    } as CameraInfo;
  }

  streamAccess(): StreamAccess {
    const r = this.options.rtsp;
    const credentials = r?.sendCredentials === false ? undefined : { username: r?.username ?? this.options.username, password: r?.password ?? this.options.password };
    return { credentials, transport: r?.transport };
  }

  start(ctx: DriverContext, registry: CameraRegistry = this.registry): void {
    this.ctx = ctx;
    this.stopped = false;
    this.registry = registry;
    this.registry.register(this);
    this.setState('connecting');
    void this.connectOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.gen++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.cam = undefined;
    this.state = 'stopped';
    this.registry.unregister(this.id, this);
  }

  private live(gen: number): boolean {
    return !this.stopped && gen === this.gen;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async connectOnce(): Promise<void> {
    const gen = ++this.gen;
    const o = this.options;
    const cam = await createCam({ hostname: o.host, port: o.port, username: o.username, password: o.password, path: o.path, timeout: o.timeoutMs });
    try {
      await connect(cam);
      if (!this.live(gen)) return;
      const source = cam.activeSource;
      const profile = this.device.options.profileToken ?? source?.profileToken;
      if (!profile) throw new Error('camera reports no media profile with a video source');
      const enc = cam.profiles?.find((p) => p.$.token === profile)?.videoEncoderConfiguration;
      const [info, stream, snapshot] = await Promise.all([
        call<Record<string, unknown>>(cam, 'getDeviceInformation').catch(() => undefined),
        call<{ uri: string }>(cam, 'getStreamUri', { protocol: 'RTSP', profileToken: profile }),
        call<{ uri: string }>(cam, 'getSnapshotUri', { profileToken: profile }).catch(() => undefined),
      ]);
      const hasPtz = !!cam.uri?.ptz && !!cam.profiles?.find((p) => p.$.token === profile)?.PTZConfiguration;
      if (hasPtz) {
        this.limits = limitsOf(await call(cam, 'getConfigurations').catch(() => undefined));
        this.presets = presetsOf(await call(cam, 'getPresets', { profileToken: profile }).catch(() => undefined));
      }
      if (!this.live(gen)) return;
      this.cam = cam;
      this.profileToken = profile;
      this.meta = {
        streamUri: stream?.uri, snapshotUri: snapshot?.uri, ptz: hasPtz,
        codec: enc?.encoding ?? source?.encoding, width: enc?.resolution?.width ?? source?.width, height: enc?.resolution?.height ?? source?.height,
        fps: enc?.rateControl?.frameRateLimit ?? source?.fps,
        manufacturer: info?.manufacturer as string | undefined, model: info?.model as string | undefined,
      };
      if (this.state !== 'online' && this.attempt > 0) this.ctx!.log.info({ camera: this.id }, `camera ${this.id} back online`);
      this.attempt = 0;
      this.setState('online');
      void this.pullEvents(gen, cam);
      void this.poll(gen, cam);
    } catch (err) {
      if (this.live(gen)) this.fail(gen, err);
    }
  }

  private fail(gen: number, err: unknown): void {
    if (!this.live(gen)) return;
    this.gen++; // abandons this connection's loops
    this.cam = undefined;
    const auth = isAuthFailure(err);
    const next: ConnectionState = auth ? 'auth_failed' : 'offline';
    const message = err instanceof Error ? err.message : String(err);
    const detail = auth ? `camera refused the credentials of user ${this.options.username}: ${message}` : `unreachable: ${message}`;
    // Log once per kind of failure, never every retry.
    if (this.state !== next) this.ctx!.log.warn({ camera: this.id, err: message }, `camera ${this.id} ${auth ? 'refused our credentials' : 'is unreachable'}`);
    this.setState(next, detail);
    const b = { ...DEFAULT_BACKOFF, ...this.options.backoff };
    const delay = auth ? b.authFailedMs : reconnectDelay(this.attempt, { initialMs: b.initialMs, maxMs: b.maxMs });
    this.attempt++;
    this.later(delay, () => void this.connectOnce());
  }

  private setState(state: ConnectionState, detail?: string): void {
    const changed = state !== this.state || detail !== this.detail;
    if (state !== this.state) this.since = Date.now();
    this.state = state;
    this.detail = detail;
    this.ctx!.status({ connection: this.id, protocol: 'onvif', state, detail, since: this.since });
    this.publishAll();
    if (changed) this.registry.emit(this.info());
  }

  /** Republishes every point: status always good; the others comm_fail while the camera is away. */
  private publishAll(): void {
    if (this.stopped || !this.ctx) return;
    const now = Date.now();
    const online = this.state === 'online';
    const down: Quality = 'comm_fail';
    const batch: Sample[] = [];
    for (const p of this.points) {
      const id = p.info.id;
      const s = p.source;
      if (s.kind === 'status') {
        const name = this.state === 'offline' ? 'unreachable' : this.state === 'stopped' ? 'unreachable' : this.state;
        batch.push({ pointId: id, value: p.info.kind === 'string' ? name : STATUS_STATES.indexOf(name as (typeof STATUS_STATES)[number]), quality: 'good', detail: this.detail, readTs: now });
      } else if (!online) {
        batch.push({ pointId: id, value: null, quality: down, detail: this.detail ?? this.state, readTs: now });
      } else if (s.kind === 'event') {
        const v = this.eventValues.get(id);
        if (v !== undefined) batch.push({ pointId: id, value: v, quality: 'good', readTs: now });
      } else if (s.kind === 'ptz' && this.position) {
        batch.push({ pointId: id, value: this.position[s.axis], quality: 'good', readTs: now });
      } else if (s.kind === 'preset' && this.position) {
        batch.push({ pointId: id, value: this.presetAt(this.position) ?? '', quality: 'good', readTs: now });
      }
    }
    if (batch.length) this.ctx.publish(batch);
  }

  private presetAt(p: PtzPosition): string | undefined {
    const near = (a: number, b: number) => Math.abs(a - b) < 1e-3;
    return this.presets.find((q) => q.position && near(q.position.pan, p.pan) && near(q.position.tilt, p.tilt) && near(q.position.zoom, p.zoom))?.token;
  }

  /** Heartbeat + PTZ position: a failure here is how we notice a camera that went away. */
  private async poll(gen: number, cam: RawCam): Promise<void> {
    try {
      if (this.meta.ptz) this.position = positionOf(await call(cam, 'getStatus', { profileToken: this.profileToken }));
      else await call(cam, 'getSystemDateAndTime');
      if (!this.live(gen)) return;
      this.publishAll();
      this.later(this.options.pollMs, () => void this.poll(gen, cam));
    } catch (err) {
      this.fail(gen, err);
    }
  }

  private async pullEvents(gen: number, cam: RawCam): Promise<void> {
    try {
      await call(cam, 'createPullPointSubscription');
      let renewAt = Date.now() + RENEW_EVERY_MS;
      while (this.live(gen)) {
        const data = await call<{ notificationMessage?: unknown }>(cam, 'pullMessages', { messageLimit: 50 });
        if (!this.live(gen)) return;
        const list = data?.notificationMessage;
        this.onNotifications(Array.isArray(list) ? list : list ? [list] : []);
        if (Date.now() > renewAt) {
          await call(cam, 'renew', {});
          renewAt = Date.now() + RENEW_EVERY_MS;
        }
      }
    } catch (err) {
      // Events failing while the heartbeat still works means the camera or its event service is gone.
      this.fail(gen, err);
    }
  }

  private onNotifications(messages: unknown[]): void {
    const batch: Sample[] = [];
    const now = Date.now();
    for (const raw of messages) {
      const ev = decodeNotification(raw);
      if (!ev) continue;
      for (const p of this.points) {
        if (p.source.kind !== 'event') continue;
        const v = eventValue(ev, p.source);
        if (v === undefined) continue;
        this.eventValues.set(p.info.id, v);
        batch.push({ pointId: p.info.id, value: v, quality: 'good', sourceTs: ev.utcMs, readTs: now });
      }
    }
    if (batch.length && !this.stopped) this.ctx!.publish(batch);
  }

  private ready(): { cam: RawCam; profileToken: string } {
    if (!this.cam || this.state !== 'online') throw new CameraUnavailableError(`camera ${this.id} is ${this.state}${this.detail ? `: ${this.detail}` : ''}`);
    if (!this.meta.ptz || !this.profileToken) throw new CameraUnavailableError(`camera ${this.id} has no PTZ`);
    return { cam: this.cam, profileToken: this.profileToken };
  }

  async ptz(cmd: PtzCommand): Promise<PtzResult> {
    checkPtz(cmd, this.limits, this.presets);
    const { cam, profileToken } = this.ready();
    switch (cmd.type) {
      case 'move':
        await call(cam, 'continuousMove', { profileToken, x: cmd.pan ?? 0, y: cmd.tilt ?? 0, zoom: cmd.zoom ?? 0, timeout: cmd.timeoutMs });
        return { ok: true };
      case 'stop':
        await call(cam, 'stop', { profileToken, panTilt: true, zoom: true });
        break;
      case 'absolute': {
        const cur = this.position ?? { pan: 0, tilt: 0, zoom: 0 };
        await call(cam, 'absoluteMove', { profileToken, x: cmd.pan ?? cur.pan, y: cmd.tilt ?? cur.tilt, zoom: cmd.zoom ?? cur.zoom });
        break;
      }
      case 'preset':
        if (cmd.action === 'set') {
          const res = await call<unknown>(cam, 'setPreset', { profileToken, presetName: cmd.name ?? cmd.preset, presetToken: cmd.preset }).catch((err: Error) => {
            throw /PresetExist|exists/i.test(err.message) ? new PresetExistsError(`camera ${this.id} already has a preset named ${cmd.name ?? cmd.preset}`) : err;
          });
          this.presets = presetsOf(await call(cam, 'getPresets', { profileToken }).catch(() => undefined));
          this.registry.emit(this.info());
          return { ok: true, preset: tokenOf(res) ?? cmd.preset };
        }
        await call(cam, 'gotoPreset', { profileToken, preset: cmd.preset });
        break;
    }
    this.position = positionOf(await call(cam, 'getStatus', { profileToken }));
    this.publishAll();
    return { ok: true, position: this.position };
  }

  /** Point write of a preset point: go there, then confirm by the position the camera reports. */
  async gotoPresetConfirmed(token: string): Promise<{ confirmed: boolean; readBack: string | null }> {
    await this.ptz({ type: 'preset', action: 'goto', preset: token });
    const at = this.position ? this.presetAt(this.position) : undefined;
    return { confirmed: at === token, readBack: at ?? null };
  }
}

function tokenOf(res: unknown): string | undefined {
  const t = (res as any)?.[0]?.setPresetResponse?.[0]?.presetToken?.[0];
  return typeof t === 'string' ? t : undefined;
}

const inRange = (v: number, [lo, hi]: Range) => Number.isFinite(v) && v >= lo && v <= hi;

/** Refuses a command outside the camera's range, naming the range (pure; before anything is sent). */
export function checkPtz(cmd: PtzCommand, limits: PtzLimits, presets: PtzPreset[]): void {
  if (cmd.type === 'move') {
    for (const axis of ['pan', 'tilt', 'zoom'] as const) {
      const v = cmd[axis];
      if (v !== undefined && !inRange(v, [-1, 1])) throw new PtzRangeError(`${axis} velocity ${v} is outside -1..1`, 'velocity', [-1, 1]);
    }
    if (cmd.timeoutMs !== undefined && !(cmd.timeoutMs > 0 && cmd.timeoutMs <= 60_000)) throw new PtzRangeError(`timeoutMs ${cmd.timeoutMs} is outside 1..60000`, 'velocity', [1, 60_000]);
  } else if (cmd.type === 'absolute') {
    for (const axis of ['pan', 'tilt', 'zoom'] as const) {
      const v = cmd[axis];
      if (v !== undefined && !inRange(v, limits[axis])) throw new PtzRangeError(`${axis} ${v} is outside the camera's range ${limits[axis][0]}..${limits[axis][1]}`, axis, limits[axis]);
    }
  } else if (cmd.type === 'preset' && cmd.action !== 'set' && presets.length && !presets.some((p) => p.token === cmd.preset)) {
    throw new UnknownPresetError(`camera has no preset ${cmd.preset} (has: ${presets.map((p) => p.token).join(', ')})`, presets.map((p) => p.token));
  }
}
