// Which camera shows an alarm: the one in the same room, else on the same floor, else in the
// same building (pure; areas are `building/floor/room` paths as in AlarmView.area).
export type Nearness = 'room' | 'floor' | 'building';

export interface LocatedCamera { id: string; location?: string; state?: string }

/** How many leading segments two area paths share (0–3). */
function sharedDepth(a: string, b: string): number {
  const x = a.split('/').filter(Boolean);
  const y = b.split('/').filter(Boolean);
  let n = 0;
  while (n < Math.min(x.length, y.length, 3) && x[n] === y[n]) n++;
  return n;
}

const NEARNESS: Record<number, Nearness> = { 3: 'room', 2: 'floor', 1: 'building' };

/**
 * The nearest camera to `area` and how near it is; undefined when no camera is in the building.
 * Among equally near cameras an online one wins, then the lowest id (stable).
 */
export function nearestCamera<C extends LocatedCamera>(cameras: readonly C[], area: string): { camera: C; nearness: Nearness } | undefined {
  let best: { camera: C; depth: number } | undefined;
  const online = (c: C) => (c.state === undefined || c.state === 'online' ? 1 : 0);
  for (const camera of cameras) {
    if (!camera.location) continue;
    const depth = sharedDepth(camera.location, area);
    if (depth === 0) continue;
    const better = !best || depth > best.depth
      || (depth === best.depth && (online(camera) > online(best.camera) || (online(camera) === online(best.camera) && camera.id < best.camera.id)));
    if (better) best = { camera, depth };
  }
  return best ? { camera: best.camera, nearness: NEARNESS[best.depth] } : undefined;
}
