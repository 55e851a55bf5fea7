// Which cameras can see a spot, ranked, and how to turn a PTZ camera onto it. Pure geometry:
// in range, a clear line of sight past the building footprints, and inside the view cone
// (fixed camera) or the pan range (PTZ). A PTZ camera prefers a preset whose cone holds the spot;
// otherwise it gets an absolute pan/tilt computed from the bearing and its mounting height.
import { angleDiff, bearingOf, type CameraAim, type MapXy, type NearestCamera, type SiteCamera } from '../../contracts/sitemap.js';
import { lineOfSight, nearSegments, type Segment } from './visibility.js';

const DEG = 180 / Math.PI;

/** Tilt (degrees, negative = down) from a camera at height h to ground at distance d (target height z). */
export function tiltTo(height: number, distance: number, z = 0): number {
  return Math.round(-Math.atan2(height - z, Math.max(distance, 0.01)) * DEG * 10) / 10;
}

/** How to aim a PTZ camera at a spot at `bearing`, `distance`; undefined when its pan range cannot. */
export function aimAt(cam: SiteCamera, bearing: number, distance: number): CameraAim | undefined {
  if (!cam.ptz) return undefined;
  const rel = angleDiff(cam.heading, bearing);
  const tilt = tiltTo(cam.height, distance);
  let best: { token: string; off: number } | undefined;
  for (const p of cam.ptz.presets) {
    const off = Math.abs(angleDiff(p.pan, rel));
    if (off <= (p.fov ?? cam.fov) / 2 && (!best || off < best.off)) best = { token: p.token, off };
  }
  const [p0, p1] = cam.ptz.pan;
  // The pan range may be written as [-180, 180] or as [0, 350]: try the angle and its turn-around.
  const pan = [rel, rel + 360, rel - 360].find((a) => a >= p0 - 1e-9 && a <= p1 + 1e-9);
  if (best) return { preset: best.token, pan: Math.round((pan ?? rel) * 10) / 10, tilt };
  if (pan === undefined) return undefined;
  const [t0, t1] = cam.ptz.tilt;
  return { pan: Math.round(pan * 10) / 10, tilt: Math.min(t1, Math.max(t0, tilt)) };
}

/** The cameras that can see `spot`, nearest first; those that see it without moving rank ahead at equal distance. */
export function nearestCameras(cameras: readonly SiteCamera[], segs: readonly Segment[], spot: MapXy, limit = 5): NearestCamera[] {
  const out: NearestCamera[] = [];
  for (const cam of cameras) {
    const distance = Math.hypot(spot[0] - cam.at[0], spot[1] - cam.at[1]);
    if (distance > cam.range) continue;
    if (!lineOfSight(cam.at, spot, nearSegments(cam.at, distance, segs))) continue;
    const bearing = bearingOf(cam.at, spot);
    const inCone = cam.fov >= 360 || distance < 1e-6 || Math.abs(angleDiff(cam.heading, bearing)) <= cam.fov / 2;
    const aim = aimAt(cam, bearing, distance);
    if (!inCone && !aim) continue;
    out.push({ camera: cam.id, connection: cam.connection, distance: Math.round(distance * 10) / 10, bearing: Math.round(bearing * 10) / 10, seesNow: inCone, ...(aim ? { aim } : {}) });
  }
  // Distance first; a camera that must turn counts as 20% farther (it loses what it was watching).
  const cost = (c: NearestCamera) => c.distance * (c.seesNow ? 1 : 1.2);
  return out.sort((a, b) => cost(a) - cost(b) || a.camera.localeCompare(b.camera)).slice(0, limit);
}

/** Maps a pan/tilt in degrees onto ONVIF's normalised range linearly (the camera's own limits when it reports them). */
export function toNormalised(deg: number, range: readonly [number, number], limits: readonly [number, number] = [-1, 1]): number {
  const [d0, d1] = range;
  if (d1 - d0 < 1e-9) return limits[0];
  const f = (deg - d0) / (d1 - d0);
  return Math.round((limits[0] + Math.min(1, Math.max(0, f)) * (limits[1] - limits[0])) * 1000) / 1000;
}
