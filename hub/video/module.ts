// The video hub module: cameras REST, the WebSocket video gateway on the hub's HTTP server,
// and the alarm action `camera-snapshot` (snapshot + clip, see handleCameraAction).
import type { IncomingMessage } from 'node:http';
import type { RouterMiddleware } from '@koa/router';
import type { Permission } from '../../contracts/auth.js';
import type { CameraRegistry } from '../../drivers/onvif/registry.js';
import { handshakeRefusal } from '../auth/origin.js';
import type { HubContext, HubModule } from '../module.js';
import { CameraCatalog } from './catalog.js';
import { VideoGateway, type UpgradeAuthorizer } from './gateway.js';
import { cameraRoutes } from './routes.js';
import type { VideoLimits } from './limits.js';
import type { LoadedConfig } from '../config/types.js';
import { sectionOf } from '../config/section-key.js';
import { ALARMS_SECTION } from '../alarms/rules.js';
import { alarmCameraRefs, DEFAULT_STANDBY_MAX, pickStandby } from './standby.js';
import { RECORDING_SECTION } from '../recording/config.js';
import { LiveMasking, liveMaskRules, type LiveMaskRule } from './masked.js';

export interface CameraAction { type: 'camera-snapshot'; camera: string; clip?: boolean }
export interface CameraActionResult { camera: string; snapshot?: string; clip?: string; errors: string[] }

export interface VideoModuleOptions {
  /** Where the ONVIF driver exposes cameras; default: the hub's (HubContext.registries.cameras). */
  registry?: CameraRegistry;
  graceMs?: number;
  bufferSeconds?: number;
  /** Seconds before/after an alarm saved as its clip. */
  clipPreSeconds?: number;
  clipPostSeconds?: number;
  /** How long an alarm's camera stays streaming with no viewer (its first frame is then instant). */
  alarmWarmMs?: number;
  /** Viewer limit per camera and transcoding budget (default: config/hub.yaml `video`, else DEFAULT_LIMITS). */
  limits?: Partial<VideoLimits>;
  /** Camera refs to keep on standby, most important first; default: the cameras of alarm rules' camera actions (standby.ts). */
  standbyRefs?(config: LoadedConfig): string[];
  /** How often cameras still waiting for a stream URI are tried for standby (ms); default 2000. */
  standbyRetryMs?: number;
  /** Live privacy masks per camera; default: recording.yaml `masks` + `maskLiveForRoles` (masked.ts), read at start and every reload. */
  liveMasks?(config: LoadedConfig): Map<string, LiveMaskRule>;
}

export interface VideoModule extends HubModule {
  readonly gateway: VideoGateway | undefined;
  readonly catalog: CameraCatalog | undefined;
  /** Alarm action hook: wire as alarms.registerAction('camera-snapshot', (action, alarm) => video.handleCameraAction(alarm, action)). */
  handleCameraAction(alarm: { id: string }, action: CameraAction): Promise<CameraActionResult>;
  /** Starts the streams of these cameras for `ms` with no viewer (cameras of the top alarm). */
  warm(cameraIds: readonly string[], ms?: number): string[];
  /** Cameras kept streaming with no viewer now (alarm-linked cameras, at most hub.yaml `video.standbyMax`). */
  standby(): string[];
}

/**
 * A viewer's WebSocket upgrade checked by the hub's own permission middleware: the token may come
 * as `?token=` (browsers cannot set headers on WebSocket), `Authorization: Bearer`, or the cookie.
 */
export function upgradeAuthorizer(requirePermission: (p: Permission) => RouterMiddleware, permission: Permission = 'cameras:view', allowedOrigins: readonly string[] = []): UpgradeAuthorizer {
  const check = requirePermission(permission);
  return async (req: IncomingMessage) => {
    // A page on another origin (another port of this host too) must not open the viewer's video with its cookie.
    const foreign = handshakeRefusal(req.headers, allowedOrigins);
    if (foreign) return { ok: false, status: 403, message: foreign };
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    const headers: Record<string, string | undefined> = {
      authorization: token ? `Bearer ${token}` : (req.headers.authorization as string | undefined),
      cookie: req.headers.cookie,
    };
    const ctx = { get: (h: string) => headers[h.toLowerCase()] ?? '', state: {} as { user?: { username: string; role?: string } } };
    try {
      let passed = false;
      await check(ctx as never, async () => {
        passed = true;
      });
      if (!passed) return { ok: false, status: 401, message: 'not authorized' };
      return { ok: true, user: ctx.state.user?.username ?? 'unknown', role: ctx.state.user?.role };
    } catch (err) {
      const status = (err as { status?: number }).status === 403 ? 403 : 401;
      return { ok: false, status, message: (err as Error).message };
    }
  };
}

export function createVideoModule(opts: VideoModuleOptions = {}): VideoModule {
  let gateway: VideoGateway | undefined;
  let catalog: CameraCatalog | undefined;
  let hub: HubContext | undefined;
  let wanted: string[] = [];
  let standbyMax = DEFAULT_STANDBY_MAX; // hub.yaml is read at start (a changed cap needs a restart)
  let standbyTimer: NodeJS.Timeout | undefined;
  let masking: LiveMasking | undefined;
  const liveMasks = opts.liveMasks ?? ((config: LoadedConfig) => liveMaskRules(sectionOf(config.sections, RECORDING_SECTION)));

  /** Works out the standby set from the config (start and every reload) and logs what does not fit. */
  const planStandby = (config: LoadedConfig) => {
    const refs = opts.standbyRefs ? opts.standbyRefs(config) : alarmCameraRefs(sectionOf(config.sections, ALARMS_SECTION));
    const max = standbyMax;
    const plan = pickStandby(refs, (ref) => catalog?.resolve(ref), max);
    if (plan.overCap.length) hub?.log.warn({ standby: plan.ids, left: plan.overCap }, `video: ${plan.overCap.length} alarm camera(s) not kept on standby (hub.yaml video.standbyMax = ${max}): ${plan.overCap.join(', ')}`);
    if (plan.unknown.length) hub?.log.warn({ unknown: plan.unknown }, `video: alarm camera action(s) name unknown camera(s): ${plan.unknown.join(', ')}`);
    wanted = plan.ids;
    applyStandby();
  };
  // Cameras still connecting (no stream URI yet) join the standby set on a later pass.
  const applyStandby = () => {
    if (!gateway) return;
    const kept = gateway.setStandby(wanted);
    clearTimeout(standbyTimer);
    standbyTimer = kept.length < wanted.length ? setTimeout(applyStandby, opts.standbyRetryMs ?? 2000) : undefined;
    standbyTimer?.unref();
  };

  const module: VideoModule = {
    name: 'video',
    get gateway() {
      return gateway;
    },
    get catalog() {
      return catalog;
    },
    async start(ctx) {
      hub = ctx;
      standbyMax = ctx.config.hub.video?.standbyMax ?? DEFAULT_STANDBY_MAX;
      catalog = new CameraCatalog(ctx.config, opts.registry ?? ctx.registries.cameras);
      masking = new LiveMasking({
        cameras: catalog, log: ctx.log, audit: ctx.audit, graceMs: opts.graceMs,
        budget: () => ({ busy: gateway?.transcodingCameras() ?? [], max: gateway?.limits.maxTranscodes ?? 0 }),
      });
      masking.setRules(liveMasks(ctx.config));
      gateway = new VideoGateway({
        cameras: catalog,
        dataDir: ctx.dataDir,
        authorize: upgradeAuthorizer(ctx.requirePermission, 'cameras:view', ctx.config.hub.allowedOrigins ?? []),
        log: ctx.log,
        graceMs: opts.graceMs,
        bufferSeconds: opts.bufferSeconds,
        limits: opts.limits,
        masking,
      });
      const g = gateway;
      catalog.useStreamStatus((id) => g.status(id));
      if (ctx.httpServer) gateway.attach(ctx.httpServer);
      else ctx.log.warn({}, 'video: the hub gave no httpServer in HubContext, so live video (/video/<camera>) is off; REST and snapshots still work');
      ctx.health.register('video', () => ({ ok: !!ctx.httpServer, ffmpegRunning: g.counters.running, cameras: catalog!.ids().length, standby: g.standbyCameras() }));
      planStandby(ctx.config);
    },
    reload(next) {
      // Alarm rules reload live: their cameras follow (the cap and the camera list are read at start).
      planStandby(next);
      masking?.setRules(liveMasks(next));
    },
    standby() {
      return gateway?.standbyCameras() ?? [];
    },
    routes() {
      if (!catalog || !gateway || !hub) throw new Error('video module: routes() before start()');
      return cameraRoutes({ catalog, gateway, audit: hub.audit, requirePermission: hub.requirePermission, masking });
    },
    async stop() {
      clearTimeout(standbyTimer);
      standbyTimer = undefined;
      await gateway?.close();
      await masking?.close();
    },
    warm(cameraIds, ms = opts.alarmWarmMs ?? 120_000) {
      if (!gateway || !catalog) return [];
      return cameraIds.map((ref) => catalog!.resolve(ref)).filter((id): id is string => !!id && gateway!.warm(id, ms));
    },
    async handleCameraAction(alarm, action) {
      const result: CameraActionResult = { camera: action.camera, errors: [] };
      if (!gateway || !catalog) throw new Error('video module not started');
      const id = catalog.resolve(action.camera);
      if (!id) throw new Error(`alarm ${alarm.id}: camera action names unknown camera ${action.camera}`);
      result.camera = id;
      // The operator will open this camera next: keep its stream (init + GOP cache) warm.
      gateway.warm(id, opts.alarmWarmMs ?? 120_000);
      const reason = `alarm-${alarm.id}`;
      const [snap, clip] = await Promise.allSettled([
        gateway.snapshot(id, reason),
        action.clip === false ? Promise.resolve(undefined) : gateway.clip(id, { preSeconds: opts.clipPreSeconds ?? 10, postSeconds: opts.clipPostSeconds ?? 5, reason }),
      ]);
      if (snap.status === 'fulfilled') result.snapshot = snap.value.path;
      else result.errors.push(`snapshot: ${(snap.reason as Error).message}`);
      if (clip.status === 'fulfilled') result.clip = clip.value?.path;
      else result.errors.push(`clip: ${(clip.reason as Error).message}`);
      hub?.audit.record({ user: 'system', action: 'camera.alarm_capture', target: id, details: { alarm: alarm.id, ...result } });
      if (!result.snapshot && !result.clip) throw new Error(`alarm ${alarm.id}: no capture from camera ${id}: ${result.errors.join('; ')}`);
      return result;
    },
  };
  return module;
}
