// One timeline of everything, pure: alarm journal rows, audit entries (commands, broadcasts, work
// orders, patrols, recording access) and door/window changes become TimelineEvents with a place;
// merged, filtered by time/kind/place/camera, and tagged with the cameras that see the place.
import type { JournalRow } from '../../contracts/alarms.js';
import type { TimelineEvent, TimelineKind, TimelineQuery } from '../../contracts/recording.js';

export interface AuditLike {
  ts: number;
  user: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** `building/floor/room` of a point id `site/building/floor/room/equipment/point`. */
export function placeOfPoint(id: string): string | undefined {
  const parts = id.split('/');
  return parts.length >= 6 ? parts.slice(1, 4).join('/') : undefined;
}

/** Whether `place` lies in `area` (building[/floor[/room]]). */
export function inArea(place: string | undefined, area: string): boolean {
  if (!place) return false;
  return place === area || place.startsWith(`${area}/`);
}

/** Cameras that see `place`: a camera sees the rooms listed for it (its own device's room and `sees`). */
export function camerasSeeing(place: string | undefined, seen: ReadonlyMap<string, readonly string[]>): string[] {
  if (!place) return [];
  const out: string[] = [];
  for (const [camera, places] of seen) if (places.some((p) => inArea(place, p) || inArea(p, place))) out.push(camera);
  return out.sort();
}

function withViewing(listed: string[], e: TimelineEvent, viewing?: (pointOrRoom: string) => string[]): string[] {
  const key = e.target && e.target.split('/').length >= 6 ? e.target : e.place;
  if (!viewing || !key) return listed;
  return [...new Set([...listed, ...viewing(key)])].sort();
}

export function journalEvent(r: JournalRow): TimelineEvent {
  const who = r.user && r.user !== 'system' ? ` (${r.user})` : '';
  return {
    id: `alarm:${r.seq}`, ts: r.ts, kind: 'alarm', place: r.area || placeOfPoint(r.pointId), title: `${r.priority} alarm ${r.alarmId}: ${r.kind} → ${r.state}${who}`,
    user: r.user === 'system' ? undefined : r.user, target: r.pointId, cameras: [], details: { alarm: r.alarmId, kind: r.kind, state: r.state, priority: r.priority, comment: r.comment, value: r.value },
  };
}

const AUDIT_KINDS: Array<[RegExp, TimelineKind]> = [
  [/^point\.(write|command|release)/, 'command'],
  [/^broadcast\./, 'broadcast'],
  [/^workorder|^work_order|^wo\./, 'workorder'],
  [/^patrol/, 'patrol'],
  [/^recordings?\.|^incident\./, 'recording'],
  [/^camera\.(ptz|alarm_capture)/, 'command'],
];

/** The timeline kind of an audit action, or undefined for entries the timeline leaves out (logins…). */
export function auditKind(action: string): TimelineKind | undefined {
  return AUDIT_KINDS.find(([re]) => re.test(action))?.[1];
}

export function auditEvent(e: AuditLike, n: number): TimelineEvent | undefined {
  const kind = auditKind(e.action);
  if (!kind) return undefined;
  const d = e.details ?? {};
  const place = placeOfPoint(e.target) ?? (typeof d.area === 'string' ? d.area : undefined) ?? (typeof d.place === 'string' ? d.place : undefined);
  const value = d.requested ?? d.value;
  const what = value !== undefined ? ` = ${JSON.stringify(value)}` : '';
  const outcome = typeof d.outcome === 'string' ? ` (${d.outcome})` : '';
  return { id: `audit:${e.ts}:${n}`, ts: e.ts, kind, place, title: `${e.user}: ${e.action} ${e.target}${what}${outcome}`, user: e.user, target: e.target, cameras: [], details: d };
}

const DOOR_RE = /door|window|contact|gate|门|窗/i;

/** Door/window points: binary, named so by their point id (`…/door-1/open`, `…/window/state`). */
export function isDoorPoint(id: string, kind: string): boolean {
  return kind === 'binary' && DOOR_RE.test(id.split('/').slice(-2).join('/'));
}

export function doorEvent(pointId: string, value: unknown, ts: number): TimelineEvent {
  const open = value === true || value === 1;
  return { id: `door:${pointId}:${ts}`, ts, kind: 'door', place: placeOfPoint(pointId), title: `${pointId.split('/').slice(-2).join('/')} ${open ? 'opened' : 'closed'}`, target: pointId, cameras: [], details: { value } };
}

/**
 * Merged, filtered (time, kind, place, camera), newest first, each tagged with the cameras that see
 * it: those listed for its room (`seen`) and, when the site map is there, those whose view takes it
 * in (`viewing`, asked with the event's point, else its room).
 */
export function mergeTimeline(sources: ReadonlyArray<readonly TimelineEvent[]>, q: TimelineQuery, seen: ReadonlyMap<string, readonly string[]>, viewing?: (pointOrRoom: string) => string[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const ids = new Set<string>();
  for (const list of sources) {
    for (const e of list) {
      if (e.ts < q.from || e.ts > q.to || ids.has(e.id)) continue;
      if (q.kinds?.length && !q.kinds.includes(e.kind)) continue;
      if (q.place && !inArea(e.place, q.place)) continue;
      const cameras = e.cameras.length ? e.cameras : withViewing(camerasSeeing(e.place, seen), e, viewing);
      if (q.camera && !cameras.includes(q.camera) && e.target !== q.camera) continue;
      ids.add(e.id);
      out.push({ ...e, cameras });
    }
  }
  out.sort((a, b) => b.ts - a.ts || a.id.localeCompare(b.id));
  return out.slice(0, q.limit ?? 1000);
}
