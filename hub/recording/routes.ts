// REST of recordings, the timeline, incidents and evidence export. Viewing recorded video is
// audited (recordings:view, once per user and range per 5 min: a player sends many range
// requests), exporting needs recordings:export and is audited with its reason.
import Router, { type RouterMiddleware } from '@koa/router';
import fs from 'node:fs';
import path from 'node:path';
import type { Permission } from '../../contracts/auth.js';
import { TIMELINE_KINDS, type CoverageView, type IncidentItem, type TimelineKind } from '../../contracts/recording.js';
import { InvalidError, NotFoundError } from '../errors.js';
import type { AuditLogLike } from '../module.js';
import { exportEvidence } from './export.js';
import type { IncidentService } from './incidents.js';
import { parseItem } from './incidents.js';
import { assemble, parseRange, type PlaybackCache } from './playback.js';
import { incidentReportPdf, stillAt } from './report.js';
import { gapsIn, recordedSpans } from './segments.js';
import type { RecordingStore } from './store.js';
import type { PrivacyMask } from './config.js';
import type { TimelineQuery, TimelineEvent } from '../../contracts/recording.js';

export interface RecordingRouteDeps {
  store: () => RecordingStore;
  cache: PlaybackCache;
  incidents: () => IncidentService;
  timeline(q: TimelineQuery): TimelineEvent[];
  cameras(): string[];
  masks(camera: string): readonly PrivacyMask[];
  exportsDir: string;
  timezone: string;
  site?: string;
  audit: AuditLogLike;
  requirePermission(p: Permission): RouterMiddleware;
}

/** Epoch ms from a query value: a number, or an ISO time. */
export function parseTime(v: unknown, name: string): number {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string' || s === '') throw new InvalidError('invalid_time', `${name} is required (epoch ms or ISO 8601)`);
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) throw new InvalidError('invalid_time', `${name}: ${JSON.stringify(s)} is not a time (epoch ms or ISO 8601)`);
  return t;
}

export function parseRangeQuery(q: Record<string, unknown>, maxMs: number): { from: number; to: number } {
  const from = parseTime(q.from, 'from');
  const to = parseTime(q.to, 'to');
  if (to <= from) throw new InvalidError('invalid_range', 'to must be after from');
  if (to - from > maxMs) throw new InvalidError('invalid_range', `at most ${maxMs / 3600_000} h per request`);
  return { from, to };
}

export function recordingRoutes(d: RecordingRouteDeps): Router {
  const router = new Router();
  const view = d.requirePermission('recordings:view');
  const manage = d.requirePermission('incidents:manage');
  const exporter = d.requirePermission('recordings:export');
  const user = (ctx: { state: { user?: { username: string } } }) => ctx.state.user?.username ?? 'unknown';
  const camera = (id: string) => {
    if (!d.cameras().includes(id)) throw new NotFoundError('unknown_camera', `no camera ${id} (known: ${d.cameras().join(', ') || 'none'})`);
    return id;
  };
  const seen = new Map<string, number>();
  /** Audits a viewing once per user/camera/range per 5 minutes. */
  const auditView = (who: string, cam: string, what: string, details: Record<string, unknown>) => {
    const key = `${who}|${cam}|${what}|${JSON.stringify(details)}`;
    const now = Date.now();
    if ((seen.get(key) ?? 0) > now - 300_000) return;
    seen.set(key, now);
    if (seen.size > 5000) for (const [k, t] of seen) if (t < now - 300_000) seen.delete(k);
    d.audit.record({ user: who, action: `recordings.${what}`, target: cam, details });
  };

  router.get('/recordings', view, async (ctx) => {
    ctx.body = d.store().overview();
  });

  router.get('/recordings/:camera/coverage', view, async (ctx) => {
    const cam = camera(ctx.params.camera);
    const { from, to } = parseRangeQuery(ctx.query, 31 * 86_400_000);
    const index = d.store().index;
    const spans = recordedSpans(index.segments(cam, from, to), from, to);
    const body: CoverageView = { camera: cam, from, to, spans, gaps: gapsIn(cam, spans, index.gaps(cam, from, to), from, Math.min(to, Date.now())) };
    ctx.body = body;
  });

  // A <video> element cannot send Authorization: like the live video WebSocket, the player may pass
  // its session token as ?token= (the cookie works too). Only on this GET.
  const tokenFromQuery: RouterMiddleware = async (ctx, next) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
    if (token && !ctx.get('authorization')) ctx.request.headers.authorization = `Bearer ${token}`;
    await next();
  };

  router.get('/recordings/:camera/clip.mp4', tokenFromQuery, view, async (ctx) => {
    const cam = camera(ctx.params.camera);
    const { from, to } = parseRangeQuery(ctx.query, 2 * 3600_000);
    const store = d.store();
    const result = await d.cache.get({ camera: cam, from, to }, (out) => assemble({ index: store.index, cameraDir: store.cameraDir(cam), camera: cam, from, to, out }));
    auditView(user(ctx), cam, 'view', { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    const size = fs.statSync(result.file).size;
    const range = parseRange(ctx.get('range') || undefined, size);
    ctx.set('accept-ranges', 'bytes');
    ctx.set('cache-control', 'private, max-age=300');
    ctx.set('x-recording-pieces', JSON.stringify(result.pieces));
    ctx.set('x-recording-start', String(result.start));
    ctx.type = 'video/mp4';
    if (range === null) {
      ctx.status = 416;
      ctx.set('content-range', `bytes */${size}`);
      return;
    }
    if (range) {
      ctx.status = 206;
      ctx.set('content-range', `bytes ${range.start}-${range.end}/${size}`);
      ctx.length = range.end - range.start + 1;
      ctx.body = fs.createReadStream(result.file, range);
    } else {
      ctx.length = size;
      ctx.body = fs.createReadStream(result.file);
    }
  });

  /** The playback map of a range (assembles it, so the clip.mp4 that follows is a cache hit). */
  router.get('/recordings/:camera/clip.json', view, async (ctx) => {
    const cam = camera(ctx.params.camera);
    const { from, to } = parseRangeQuery(ctx.query, 2 * 3600_000);
    const store = d.store();
    const result = await d.cache.get({ camera: cam, from, to }, (out) => assemble({ index: store.index, cameraDir: store.cameraDir(cam), camera: cam, from, to, out }));
    ctx.body = { camera: cam, from, to, start: result.start, end: result.end, pieces: result.pieces, url: `/api/recordings/${encodeURIComponent(cam)}/clip.mp4?from=${from}&to=${to}` };
  });

  router.get('/recordings/:camera/still.jpg', view, async (ctx) => {
    const cam = camera(ctx.params.camera);
    const ts = parseTime(ctx.query.ts, 'ts');
    const store = d.store();
    const jpeg = await stillAt(store.index, store.cameraDir(cam), cam, ts);
    if (!jpeg) throw new NotFoundError('no_recording', `camera ${cam} has no recording at ${new Date(ts).toISOString()}`);
    auditView(user(ctx), cam, 'still', { ts: new Date(ts).toISOString() });
    ctx.type = 'image/jpeg';
    ctx.body = jpeg;
  });

  router.get('/timeline', view, async (ctx) => {
    const { from, to } = parseRangeQuery(ctx.query, 31 * 86_400_000);
    const kinds = typeof ctx.query.kinds === 'string' && ctx.query.kinds ? ctx.query.kinds.split(',') : [];
    const bad = kinds.filter((k) => !TIMELINE_KINDS.includes(k as TimelineKind));
    if (bad.length) throw new InvalidError('invalid_kind', `unknown kind(s) ${bad.join(', ')} (known: ${TIMELINE_KINDS.join(', ')})`);
    const limit = ctx.query.limit ? Number(ctx.query.limit) : 500;
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw new InvalidError('invalid_limit', 'limit must be 1…5000');
    const place = typeof ctx.query.place === 'string' && ctx.query.place ? ctx.query.place : undefined;
    const cam = typeof ctx.query.camera === 'string' && ctx.query.camera ? camera(ctx.query.camera) : undefined;
    ctx.body = { items: d.timeline({ from, to, kinds: kinds as TimelineKind[], place, camera: cam, limit }) };
  });

  router.get('/incidents', view, async (ctx) => {
    ctx.body = { items: d.incidents().list() };
  });

  router.get('/incidents/:id', view, async (ctx) => {
    ctx.body = d.incidents().get(ctx.params.id);
  });

  const items = (raw: unknown, who: string): IncidentItem[] => {
    if (raw === undefined) return [];
    if (!Array.isArray(raw) || raw.length > 200) throw new InvalidError('invalid_items', 'items must be an array (at most 200)');
    return raw.map((r, i) => {
      const item = parseItem(r, who, Date.now(), (c) => d.cameras().includes(c));
      if (typeof item === 'string') throw new InvalidError('invalid_item', `items[${i}]: ${item}`);
      return item;
    });
  };

  router.post('/incidents', manage, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const who = user(ctx);
    if (typeof body.title !== 'string') throw new InvalidError('invalid_title', 'title (string) is required');
    const inc = d.incidents().create(who, body.title, typeof body.owner === 'string' ? body.owner : undefined, items(body.items, who));
    d.audit.record({ user: who, action: 'incident.create', target: inc.id, details: { title: inc.title, items: inc.items.length } });
    ctx.status = 201;
    ctx.body = inc;
  });

  router.patch('/incidents/:id', manage, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const who = user(ctx);
    const str = (k: string) => (body[k] === undefined ? undefined : typeof body[k] === 'string' ? (body[k] as string) : (() => { throw new InvalidError('invalid_field', `${k} must be a string`); })());
    const inc = d.incidents().update(ctx.params.id, who, { title: str('title'), status: str('status'), owner: str('owner') }, items(body.add, who));
    d.audit.record({ user: who, action: 'incident.update', target: inc.id, details: { status: inc.status, owner: inc.owner, added: Array.isArray(body.add) ? body.add.length : 0 } });
    ctx.body = inc;
  });

  router.get('/incidents/:id/report.pdf', view, async (ctx) => {
    const inc = d.incidents().get(ctx.params.id);
    const store = d.store();
    const pdf = await incidentReportPdf(inc, store.index, (c) => store.cameraDir(c), d.timezone, user(ctx));
    d.audit.record({ user: user(ctx), action: 'incident.report', target: inc.id });
    ctx.type = 'application/pdf';
    ctx.set('content-disposition', `inline; filename="${inc.id}.pdf"`);
    ctx.body = pdf;
  });

  router.post('/recordings/export', exporter, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const who = user(ctx);
    const reason = typeof body.reason === 'string' ? body.reason : '';
    let clips: Array<{ camera: string; from: number; to: number }> = [];
    if (body.clips !== undefined) {
      if (!Array.isArray(body.clips) || body.clips.length > 16) throw new InvalidError('invalid_clips', 'clips must be an array of {camera, from, to} (at most 16)');
      clips = body.clips.map((c: any, i: number) => {
        if (!c || typeof c.camera !== 'string') throw new InvalidError('invalid_clips', `clips[${i}].camera is required`);
        camera(c.camera);
        return { camera: c.camera, from: parseTime(String(c.from), `clips[${i}].from`), to: parseTime(String(c.to), `clips[${i}].to`) };
      });
    }
    const incident = typeof body.incident === 'string' ? d.incidents().get(body.incident) : undefined;
    if (incident) clips.push(...d.incidents().videoRanges(incident).filter((r) => d.cameras().includes(r.camera)));
    const store = d.store();
    const result = await exportEvidence({
      index: store.index, cameraDir: (c) => store.cameraDir(c), masks: d.masks, outRoot: d.exportsDir, user: who, reason, clips, incident, site: d.site,
    });
    d.audit.record({ user: who, action: 'recordings.export', target: result.id, details: { reason: result.manifest.reason, incident: incident?.id, clips: result.manifest.clips, files: result.manifest.files.map((f) => ({ path: f.path, sha256: f.sha256 })) } });
    ctx.status = 201;
    ctx.body = result;
  });

  router.get('/recordings/exports/:id/:file', exporter, async (ctx) => {
    const { id, file } = ctx.params;
    if (!/^ev-[0-9A-Za-z-]+$/.test(id) || !/^[A-Za-z0-9._-]+$/.test(file)) throw new InvalidError('invalid_name', 'bad export id or file name');
    const full = path.join(d.exportsDir, id, file);
    if (!fs.existsSync(full)) throw new NotFoundError('unknown_export_file', `no file ${file} in export ${id}`);
    d.audit.record({ user: user(ctx), action: 'recordings.download', target: `${id}/${file}` });
    ctx.type = path.extname(file) || 'application/octet-stream';
    ctx.set('content-disposition', `attachment; filename="${file}"`);
    ctx.body = fs.createReadStream(full);
  });

  return router;
}
