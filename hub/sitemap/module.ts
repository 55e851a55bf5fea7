// The site-map hub module: loads config/sitemap.geojson (validated like every config file), keeps
// the coverage model, and serves the map, coverage, nearest cameras, and camera pose edits.
// Alarm rules use it through pickCamera (`camera-snapshot` with `camera: nearest`, `aim: true`).
import fs from 'node:fs';
import path from 'node:path';
import type { BuildingPlan } from '../../contracts/geometry.js';
import type { CameraPosePatch, NearestResult, SiteCamera, SiteMap } from '../../contracts/sitemap.js';
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/types.js';
import { InvalidError, NotFoundError, UnavailableError } from '../errors.js';
import type { HubContext, HubModule } from '../module.js';
import { CoverageModel, inPolygon } from './coverage.js';
import { formatSiteMap } from './format.js';
import { checkSiteMap, SITEMAP_FILE } from './load.js';
import { toNormalised } from './nearest.js';
import { localToLonLat } from './validate.js';
import { locate, whereIsPoint, type Where } from './place.js';
import { sitemapRoutes } from './routes.js';

export interface SitemapModuleOptions {
  /** Floor plans by building (the floorplans module's), for indoor spots. */
  plans?: () => ReadonlyMap<string, BuildingPlan>;
  /** Coverage grid step in metres (default 1). */
  step?: number;
}

export interface PickResult {
  camera: string;
  aimed?: { preset?: string; pan?: number; tilt?: number };
  nearest: NearestResult;
}

export interface SitemapModule extends HubModule {
  map(): SiteMap | undefined;
  coverage(): CoverageModel | undefined;
  nearest(where: Where, limit?: number): NearestResult | undefined;
  /** The camera an alarm on `pointId` should capture (the nearest that streams), aimed when asked. */
  pickCamera(pointId: string, opts?: { aim?: boolean; alarm?: string }): Promise<PickResult>;
  /**
   * The streaming cameras whose view (cone and line of sight outdoors, the floor plan indoors) takes
   * in a point (`site/b/f/r/equipment/point`) or a room (`b/f/r`) as they point now, by connection id.
   */
  camerasViewing(pointOrRoom: string): string[];
  setPose(id: string, patch: CameraPosePatch, user: string): Promise<{ camera: SiteCamera; ms: number }>;
}

export function createSitemapModule(opts: SitemapModuleOptions = {}): SitemapModule {
  let hub: HubContext | undefined;
  let config: LoadedConfig | undefined;
  let map: SiteMap | undefined;
  let model: CoverageModel | undefined;
  let file = '';

  const load = (cfg: LoadedConfig) => {
    file = path.join(cfg.dir, SITEMAP_FILE);
    const { map: next, problems } = checkSiteMap(cfg, file);
    if (problems.length) throw new ConfigError(problems);
    config = cfg;
    const prev = map;
    map = next;
    // Same ground (buildings, roads, areas): redo only the cameras that changed, so a reload that
    // moves a camera costs what a PATCH does; anything else rebuilds the grid.
    if (next && prev && model && sameGround(prev, next)) {
      const before = new Map(prev.cameras.map((c) => [c.id, JSON.stringify(c)]));
      for (const c of next.cameras) if (before.get(c.id) !== JSON.stringify(c)) model.setCamera(c);
      const ids = new Set(next.cameras.map((c) => c.id));
      for (const c of prev.cameras) if (!ids.has(c.id)) model.removeCamera(c.id);
    } else {
      model = next ? new CoverageModel(next, opts.step ?? 1) : undefined;
    }
  };
  const plans = () => opts.plans?.() ?? new Map<string, BuildingPlan>();

  const mod: SitemapModule = {
    name: 'sitemap',
    after: ['floorplans', 'video'],
    map: () => map,
    coverage: () => model,
    async start(ctx) {
      hub = ctx;
      load(ctx.config);
      ctx.log.info({ file, cameras: map?.cameras.length ?? 0, ms: model?.computeMs }, map ? 'site map loaded' : 'no site map (config has no sitemap.geojson)');
    },
    reload(next) {
      load(next);
    },
    nearest(where, limit) {
      if (!map || !model || !config) return undefined;
      return locate({ map, segs: model.segs, plans: plans(), devices: config.devices }, where, limit);
    },
    camerasViewing(pointOrRoom) {
      const parts = pointOrRoom.split('/');
      const where: Where | undefined = parts.length >= 5 ? whereIsPoint(pointOrRoom) : parts.length === 3 ? { kind: 'room', building: parts[0], floor: parts[1], room: parts[2] } : undefined;
      const found = where ? mod.nearest(where, 20) : undefined;
      return [...new Set((found?.cameras ?? []).filter((c) => c.seesNow && c.connection).map((c) => c.connection!))].sort();
    },
    async pickCamera(pointId, o = {}) {
      const where = whereIsPoint(pointId);
      const nearest = where ? mod.nearest(where, 10) : undefined;
      if (!nearest) throw new NotFoundError('no_place', `point ${pointId} has no place on the site map`);
      const streaming = nearest.cameras.find((c) => c.connection);
      if (!streaming?.connection) throw new UnavailableError('no_camera_sees_it', `no streaming camera sees ${pointId} (cameras that do: ${nearest.cameras.map((c) => c.camera).join(', ') || 'none'})`);
      const result: PickResult = { camera: streaming.connection, nearest };
      if (o.aim && streaming.aim && hub) {
        const handle = hub.registries.cameras.get(streaming.connection);
        const cam = map?.cameras.find((c) => c.id === streaming.camera);
        if (handle && cam?.ptz) {
          if (streaming.aim.preset) {
            await handle.ptz({ type: 'preset', action: 'goto', preset: streaming.aim.preset });
            result.aimed = { preset: streaming.aim.preset };
          } else {
            const limits = handle.info().limits;
            const pan = toNormalised(streaming.aim.pan, cam.ptz.pan, limits?.pan);
            const tilt = toNormalised(streaming.aim.tilt, cam.ptz.tilt, limits?.tilt);
            await handle.ptz({ type: 'absolute', pan, tilt });
            result.aimed = { pan, tilt };
          }
          hub.audit.record({ user: 'system', action: 'sitemap.aim', target: streaming.connection, details: { alarm: o.alarm, point: pointId, ...result.aimed } });
        }
      }
      return result;
    },
    async setPose(id, patch, user) {
      if (!map || !model) throw new UnavailableError('no_sitemap', 'this site has no site map (config/sitemap.geojson)');
      const cam = map.cameras.find((c) => c.id === id);
      if (!cam) throw new NotFoundError('unknown_camera', `no camera "${id}" on the site map (have: ${map.cameras.map((c) => c.id).join(', ')})`);
      const next: SiteCamera = { ...cam, ...patch };
      if (map.buildings.some((b) => inPolygon(b.footprint, next.at[0], next.at[1]))) throw new InvalidError('inside_building', `at: [${next.at.join(', ')}] lies inside a building footprint; outdoor cameras stand outside`);
      const before = { at: cam.at, height: cam.height, heading: cam.heading, fov: cam.fov, range: cam.range };
      Object.assign(cam, next);
      const ms = model.setCamera(cam);
      persistPose(file, id, patch);
      hub?.audit.record({ user, action: 'sitemap.camera_pose', target: id, details: { before, after: patch, recomputeMs: Math.round(ms * 100) / 100 } });
      return { camera: cam, ms };
    },
    routes() {
      return sitemapRoutes({ module: mod, requirePermission: (p) => hub!.requirePermission(p) });
    },
  };
  return mod;
}

function sameGround(a: SiteMap, b: SiteMap): boolean {
  const ground = (m: SiteMap) => JSON.stringify([m.buildings, m.roads, m.areas]);
  return ground(a) === ground(b);
}

/** Writes the pose back into the GeoJSON (temp file + rename), keeping every other feature as it was. */
function persistPose(file: string, id: string, patch: CameraPosePatch): void {
  if (!fs.existsSync(file)) return;
  const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as { type: string; watchfloor?: { frame?: string; origin?: { lat: number; lon: number } }; features: Array<{ id?: string; geometry: { coordinates: unknown }; properties: Record<string, unknown> }> };
  const f = fc.features.find((x) => (x.id ?? x.properties.id) === id);
  if (!f) return;
  const { at, ...props } = patch;
  const origin = fc.watchfloor?.origin;
  if (at) f.geometry.coordinates = fc.watchfloor?.frame === 'wgs84' && origin ? localToLonLat(origin, at) : at;
  Object.assign(f.properties, props);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, formatSiteMap(fc));
  fs.renameSync(tmp, file);
}
