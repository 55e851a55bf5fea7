// Incidents: an operator groups timeline events, video ranges, notes and snapshots, with a status
// and an owner; every change is kept in the incident's own history (and the audit log, by routes).
import { randomUUID } from 'node:crypto';
import { INCIDENT_STATUSES, type Incident, type IncidentItem, type IncidentStatus, type TimelineEvent } from '../../contracts/recording.js';
import { InvalidError, NotFoundError } from '../errors.js';
import type { RecordingIndex } from './index-db.js';

export interface IncidentPatch {
  title?: string;
  status?: IncidentStatus;
  owner?: string;
  add?: IncidentItemInput[];
}

export type IncidentItemInput =
  | { type: 'event'; event: TimelineEvent }
  | { type: 'video'; camera: string; from: number; to: number }
  | { type: 'note'; text: string }
  | { type: 'snapshot'; camera: string; ts: number };

/** Validates an item from a request body; returns the problem in words, or the item. */
export function parseItem(raw: unknown, user: string, now: number, knownCamera: (id: string) => boolean): IncidentItem | string {
  if (!raw || typeof raw !== 'object') return 'item must be an object';
  const r = raw as Record<string, unknown>;
  switch (r.type) {
    case 'note':
      if (typeof r.text !== 'string' || !r.text.trim() || r.text.length > 4000) return 'note.text must be 1…4000 characters';
      return { type: 'note', text: r.text.trim(), user, ts: now };
    case 'video':
      if (typeof r.camera !== 'string' || !knownCamera(r.camera)) return `video.camera: unknown camera ${JSON.stringify(r.camera)}`;
      if (typeof r.from !== 'number' || typeof r.to !== 'number' || !(r.to > r.from) || r.to - r.from > 24 * 3600_000) return 'video: from < to, at most 24 h';
      return { type: 'video', camera: r.camera, from: r.from, to: r.to };
    case 'snapshot':
      if (typeof r.camera !== 'string' || !knownCamera(r.camera)) return `snapshot.camera: unknown camera ${JSON.stringify(r.camera)}`;
      if (typeof r.ts !== 'number' || !Number.isFinite(r.ts)) return 'snapshot.ts must be a time (epoch ms)';
      return { type: 'snapshot', camera: r.camera, ts: r.ts };
    case 'event': {
      const e = r.event as Record<string, unknown> | undefined;
      if (!e || typeof e.id !== 'string' || typeof e.ts !== 'number' || typeof e.kind !== 'string' || typeof e.title !== 'string') return 'event must be a timeline event (id, ts, kind, title)';
      return { type: 'event', event: { id: e.id, ts: e.ts, kind: e.kind as TimelineEvent['kind'], title: e.title.slice(0, 500), place: typeof e.place === 'string' ? e.place : undefined, user: typeof e.user === 'string' ? e.user : undefined, target: typeof e.target === 'string' ? e.target : undefined, cameras: Array.isArray(e.cameras) ? (e.cameras as unknown[]).filter((c): c is string => typeof c === 'string') : [] } };
    }
    default:
      return `item.type must be one of event, video, note, snapshot (got ${JSON.stringify(r.type)})`;
  }
}

export class IncidentService {
  constructor(private readonly index: RecordingIndex, private readonly now: () => number = Date.now) {}

  list(): Incident[] {
    return this.index.incidents();
  }

  get(id: string): Incident {
    const i = this.index.incident(id);
    if (!i) throw new NotFoundError('unknown_incident', `no incident ${id}`);
    return i;
  }

  create(user: string, title: string, owner: string | undefined, items: IncidentItem[]): Incident {
    if (!title?.trim() || title.length > 200) throw new InvalidError('invalid_title', 'title must be 1…200 characters');
    const ts = this.now();
    const inc: Incident = {
      id: `inc-${new Date(ts).toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 6)}`,
      title: title.trim(), status: 'open', owner: owner ?? user, createdBy: user, createdAt: ts, updatedAt: ts, items,
      history: [{ ts, user, action: 'created', detail: title.trim() }],
    };
    this.protect(inc);
    this.index.saveIncident(inc);
    return inc;
  }

  update(id: string, user: string, patch: { title?: string; status?: string; owner?: string }, add: IncidentItem[]): Incident {
    const inc = this.get(id);
    const ts = this.now();
    if (patch.status !== undefined) {
      if (!INCIDENT_STATUSES.includes(patch.status as IncidentStatus)) throw new InvalidError('invalid_status', `status must be one of ${INCIDENT_STATUSES.join(', ')}`);
      if (patch.status !== inc.status) inc.history.push({ ts, user, action: 'status', detail: `${inc.status} → ${patch.status}` });
      inc.status = patch.status as IncidentStatus;
    }
    if (patch.owner !== undefined && patch.owner !== inc.owner) {
      if (!patch.owner.trim()) throw new InvalidError('invalid_owner', 'owner must be a user name');
      inc.history.push({ ts, user, action: 'owner', detail: `${inc.owner} → ${patch.owner}` });
      inc.owner = patch.owner;
    }
    if (patch.title !== undefined && patch.title.trim() !== inc.title) {
      if (!patch.title.trim() || patch.title.length > 200) throw new InvalidError('invalid_title', 'title must be 1…200 characters');
      inc.history.push({ ts, user, action: 'title', detail: patch.title.trim() });
      inc.title = patch.title.trim();
    }
    for (const item of add) {
      inc.items.push(item);
      inc.history.push({ ts, user, action: `added ${item.type}`, detail: item.type === 'note' ? item.text.slice(0, 80) : item.type === 'event' ? item.event.title : `${item.camera}` });
    }
    inc.updatedAt = ts;
    this.protect(inc);
    this.index.saveIncident(inc);
    return inc;
  }

  /** Video ranges of an incident (its video items, ±30 s around its events on the cameras that see them). */
  videoRanges(inc: Incident): Array<{ camera: string; from: number; to: number }> {
    const out: Array<{ camera: string; from: number; to: number }> = [];
    for (const it of inc.items) {
      if (it.type === 'video') out.push({ camera: it.camera, from: it.from, to: it.to });
      if (it.type === 'event') for (const c of it.event.cameras) out.push({ camera: c, from: it.event.ts - 30_000, to: it.event.ts + 30_000 });
      if (it.type === 'snapshot') out.push({ camera: it.camera, from: it.ts - 5000, to: it.ts + 5000 });
    }
    return out;
  }

  /** An incident's video is evidence: retention never prunes it. */
  private protect(inc: Incident): void {
    const known = new Set(this.index.evidence().filter((e) => e.id === inc.id).map((e) => `${e.camera}|${e.from}|${e.to}`));
    for (const r of this.videoRanges(inc)) if (!known.has(`${r.camera}|${r.from}|${r.to}`)) this.index.addEvidence(inc.id, r.camera, r.from, r.to);
  }
}
