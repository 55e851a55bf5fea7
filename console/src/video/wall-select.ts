// Which cameras the wall shows: all of them, those of an area (`building`, `building/floor` or a
// room path, e.g. `out/plaza`), or those nearest the top alarm first (same room, then floor, then
// building, then the rest). Pure; the wall view fetches cameras and alarms and calls these.

export interface SelectableCamera { id: string; location?: string; state?: string }
export interface SelectableAlarm { id: string; area: string; priority: string; active: boolean; acked: boolean; activeSince: number | null; lastChange: number; test?: string }

export type WallSource = { kind: 'all' } | { kind: 'area'; area: string } | { kind: 'alarm' };

/** `area=a/l01` or `by=alarm` from the wall's query; anything else: all cameras. */
export function parseWallSource(query: string): WallSource {
  const q = new URLSearchParams(query.replace(/^\?/, ''));
  if (q.get('by') === 'alarm') return { kind: 'alarm' };
  const parts = (q.get('area') ?? '').split('/').filter(Boolean);
  // A path of 1–3 id segments, or nothing: a bad one shows all cameras rather than a guess.
  const ok = parts.length >= 1 && parts.length <= 3 && parts.every((s) => /^[a-z0-9][a-z0-9_-]*$/i.test(s));
  return ok ? { kind: 'area', area: parts.join('/') } : { kind: 'all' };
}

const segs = (p: string | undefined) => (p ?? '').split('/').filter(Boolean);

/** How many leading path segments two areas share (0–3). */
export function sharedDepth(a: string | undefined, b: string | undefined): number {
  const x = segs(a);
  const y = segs(b);
  let n = 0;
  while (n < Math.min(x.length, y.length, 3) && x[n] === y[n]) n++;
  return n;
}

/** Cameras inside `area` (its path is a prefix of theirs), in id order. */
export function camerasInArea<C extends SelectableCamera>(cameras: readonly C[], area: string): C[] {
  const a = segs(area);
  return cameras.filter((c) => a.every((s, i) => segs(c.location)[i] === s)).sort((p, q) => p.id.localeCompare(q.id));
}

const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The alarm the operator must look at: active and unacknowledged first, then priority, then newest. Test runs never. */
export function topAlarm<A extends SelectableAlarm>(alarms: readonly A[]): A | undefined {
  const live = alarms.filter((a) => !a.test && (a.active || !a.acked));
  return [...live].sort((p, q) =>
    Number(q.active && !q.acked) - Number(p.active && !p.acked)
    || (RANK[p.priority] ?? 9) - (RANK[q.priority] ?? 9)
    || (q.activeSince ?? q.lastChange) - (p.activeSince ?? p.lastChange))[0];
}

/** All cameras, nearest the area first (room, floor, building, the rest); online before offline among equals. */
export function camerasNear<C extends SelectableCamera>(cameras: readonly C[], area: string): C[] {
  const online = (c: C) => (c.state === undefined || c.state === 'online' ? 0 : 1);
  return [...cameras].sort((p, q) => sharedDepth(q.location, area) - sharedDepth(p.location, area) || online(p) - online(q) || p.id.localeCompare(q.id));
}

/** The wall's cameras for a source; for `alarm`, also the alarm it follows (none: all cameras). */
export function selectWallCameras<C extends SelectableCamera, A extends SelectableAlarm>(cameras: readonly C[], source: WallSource, alarms: readonly A[] = []): { cameras: C[]; alarm?: A } {
  if (source.kind === 'area') return { cameras: camerasInArea(cameras, source.area) };
  if (source.kind === 'alarm') {
    const alarm = topAlarm(alarms);
    return alarm ? { cameras: camerasNear(cameras, alarm.area), alarm } : { cameras: [...cameras] };
  }
  return { cameras: [...cameras] };
}
