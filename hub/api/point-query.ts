// Parsing and applying the filters of GET /api/points. Pure.
import { POINT_KINDS, parsePointId, type PointInfo, type PointKind } from '../../contracts/point.js';
import { HttpError } from './errors.js';

export interface PointQuery {
  building?: string;
  /** A floor id (`b1`) or a floor key (`hq/a/b1`). */
  floor?: string;
  room?: string;
  prefix?: string;
  kind?: PointKind;
  writable?: boolean;
  offset: number;
  limit: number;
}

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
const KNOWN = new Set(['building', 'floor', 'room', 'prefix', 'kind', 'writable', 'offset', 'limit']);

const bad = (param: string, message: string) => new HttpError(400, 'bad_param', `query parameter ${param}: ${message}`, { param });

function int(param: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  if (!/^\d+$/.test(raw)) throw bad(param, `must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw bad(param, `must be ${min}..${max}, got ${n}`);
  return n;
}

export function parsePointQuery(query: Record<string, string | string[] | undefined>): PointQuery {
  const one = (k: string): string | undefined => {
    const v = query[k];
    if (Array.isArray(v)) throw bad(k, 'given more than once');
    return v;
  };
  for (const k of Object.keys(query)) if (!KNOWN.has(k)) throw bad(k, `unknown (known: ${[...KNOWN].join(', ')})`);
  const q: PointQuery = {
    offset: int('offset', one('offset'), 0, 0, Number.MAX_SAFE_INTEGER),
    limit: int('limit', one('limit'), DEFAULT_LIMIT, 1, MAX_LIMIT),
  };
  for (const k of ['building', 'floor', 'room', 'prefix'] as const) {
    const v = one(k);
    if (v === undefined) continue;
    if (v === '') throw bad(k, 'must not be empty');
    q[k] = v;
  }
  const kind = one('kind');
  if (kind !== undefined) {
    if (!(POINT_KINDS as readonly string[]).includes(kind)) throw bad('kind', `must be one of ${POINT_KINDS.join(', ')}, got "${kind}"`);
    q.kind = kind as PointKind;
  }
  const writable = one('writable');
  if (writable !== undefined) {
    if (writable !== 'true' && writable !== 'false') throw bad('writable', `must be true or false, got "${writable}"`);
    q.writable = writable === 'true';
  }
  return q;
}

export function matchesPointQuery(info: PointInfo, q: PointQuery): boolean {
  if (q.kind !== undefined && info.kind !== q.kind) return false;
  if (q.writable !== undefined && info.writable !== q.writable) return false;
  if (q.prefix !== undefined && !info.id.startsWith(q.prefix)) return false;
  if (q.building === undefined && q.floor === undefined && q.room === undefined) return true;
  const parts = parsePointId(info.id);
  if (!parts) return false;
  if (q.building !== undefined && parts.building !== q.building) return false;
  if (q.floor !== undefined) {
    const floorKey = `${parts.site}/${parts.building}/${parts.floor}`;
    if (q.floor.includes('/') ? floorKey !== q.floor : parts.floor !== q.floor) return false;
  }
  if (q.room !== undefined && parts.room !== q.room) return false;
  return true;
}
