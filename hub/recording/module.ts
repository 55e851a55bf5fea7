// The recording hub module: a recorder per camera of the video module's catalog (its own ffmpeg,
// so recording and live video never stop each other), retention, playback, the timeline of
// everything (alarm journal + audit log + door/window changes), incidents and evidence export.
import fs from 'node:fs';
import path from 'node:path';
import type { JournalRow } from '../../contracts/alarms.js';
import type { TimelineEvent, TimelineQuery } from '../../contracts/recording.js';
import { AlarmJournal, type JournalQuery } from '../alarms/journal.js';
import { buildCalendar, type HolidayCalendar } from '../control/calendar.js';
import type { SchedulesFile } from '../control/schedule-schema.js';
import { sectionOf } from '../config/section-key.js';
import type { HubContext, HubModule } from '../module.js';
import { cameraConfig, DEFAULT_RECORDING, RECORDING_SECTION, scheduledAt, type RecordingFile } from './config.js';
import { withUserinfo } from './ffmpeg-args.js';
import { IncidentService } from './incidents.js';
import { PlaybackCache } from './playback.js';
import { recordingRoutes } from './routes.js';
import { RecordingStore } from './store.js';
import { auditEvent, camerasSeeing, doorEvent, isDoorPoint, journalEvent, mergeTimeline, type AuditLike } from './timeline.js';

/** What the recording module needs of the video module's camera catalog. */
export interface CameraSource {
  ids(): string[];
  get(id: string): { streamUri?: string; credentials?: { username: string; password: string } } | undefined;
  view(id: string): { location?: string } | undefined;
}

export interface RecordingModuleOptions {
  /** The camera catalog (the video module's, once started). */
  cameras?: () => CameraSource | undefined;
  /** The alarm journal; default: `<dataDir>/alarms/journal.db` opened for reading when it exists. */
  journal?: () => { query(q: JournalQuery): JournalRow[] } | undefined;
  /** Overrides config/recording.yaml (tests, bench). */
  config?: RecordingFile;
  now?: () => number;
  /** Streaming cameras whose view takes in a point or a room (the site map's cones); none without a map. */
  viewing?: (pointOrRoom: string) => string[];
}

export interface RecordingModule extends HubModule {
  readonly store: RecordingStore | undefined;
  readonly incidents: IncidentService | undefined;
  timeline(q: TimelineQuery): TimelineEvent[];
}

export function createRecordingModule(opts: RecordingModuleOptions = {}): RecordingModule {
  let hub: HubContext | undefined;
  let store: RecordingStore | undefined;
  let incidents: IncidentService | undefined;
  let cache: PlaybackCache | undefined;
  let file: RecordingFile = DEFAULT_RECORDING;
  let calendar: HolidayCalendar = { holidays: new Map(), workdays: new Map() };
  let ownJournal: AlarmJournal | undefined;
  let offBus: (() => void) | undefined;
  let alarmTimer: NodeJS.Timeout | undefined;
  let lastAlarmTs = 0;
  let kinds = new Map<string, string>();
  const triggers = new Map<string, string[]>();
  const now = opts.now ?? Date.now;

  /** Trigger point → cameras it starts event recordings on. */
  const rebuildTriggers = () => {
    triggers.clear();
    for (const c of store?.recorders.keys() ?? []) for (const t of cameraConfig(file, c).triggers) triggers.set(t, [...(triggers.get(t) ?? []), c]);
  };

  /** camera → the rooms it sees: its device's room plus `sees` in recording.yaml. */
  const seen = (): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    const cams = opts.cameras?.();
    for (const id of cams?.ids() ?? []) {
      const own = cams?.view(id)?.location;
      m.set(id, [...(own ? [own] : []), ...cameraConfig(file, id).sees]);
    }
    return m;
  };

  const journal = () => {
    if (opts.journal) return opts.journal();
    if (!ownJournal && hub && fs.existsSync(path.join(hub.dataDir, 'alarms', 'journal.db'))) ownJournal = new AlarmJournal(path.join(hub.dataDir, 'alarms'));
    return ownJournal;
  };

  const timeline = (q: TimelineQuery): TimelineEvent[] => {
    const sources: TimelineEvent[][] = [];
    const j = journal();
    if (j) sources.push(j.query({ from: q.from, to: q.to, limit: 5000 }).map(journalEvent));
    const audit = hub?.audit as unknown as { query?: (q: { from?: number; to?: number; limit?: number }) => AuditLike[] } | undefined;
    if (audit?.query) sources.push(audit.query({ from: q.from, to: q.to, limit: 5000 }).map((e, n) => auditEvent(e, n)).filter((e): e is TimelineEvent => !!e));
    if (store) sources.push(store.index.events(q.from, q.to));
    if (incidents) sources.push(incidents.list().filter((i) => i.createdAt >= q.from && i.createdAt <= q.to).map((i) => ({ id: `incident:${i.id}`, ts: i.createdAt, kind: 'incident', title: `${i.title} (${i.status}, ${i.owner})`, user: i.createdBy, target: i.id, cameras: [...new Set(i.items.flatMap((it) => (it.type === 'video' || it.type === 'snapshot' ? [it.camera] : it.type === 'event' ? it.event.cameras : [])))] })));
    return mergeTimeline(sources, q, seen(), opts.viewing);
  };

  const module: RecordingModule = {
    name: 'recording',
    dependsOn: ['video'],
    after: ['alarms', 'control'],
    get store() {
      return store;
    },
    get incidents() {
      return incidents;
    },
    timeline,
    async start(ctx) {
      hub = ctx;
      file = opts.config ?? sectionOf(ctx.config.sections, RECORDING_SECTION) ?? DEFAULT_RECORDING;
      const schedules = ctx.config.sections?.get('schedules.yaml') as SchedulesFile | undefined;
      if (schedules?.calendar) calendar = buildCalendar(schedules.calendar);
      const dir = path.isAbsolute(file.store.dir) ? file.store.dir : path.join(ctx.dataDir, file.store.dir);
      const cams = () => opts.cameras?.();
      store = new RecordingStore({
        dir, config: file, log: ctx.log, now,
        cameras: () => cams()?.ids() ?? [],
        url: (c) => {
          const src = cams()?.get(c);
          return src?.streamUri ? withUserinfo(src.streamUri, src.credentials) : undefined;
        },
        scheduled: (c, t) => scheduledAt(cameraConfig(file, c).schedule, t, ctx.config.site.timezone, calendar),
      });
      incidents = new IncidentService(store.index, now);
      cache = new PlaybackCache(path.join(dir, '.playback'));
      await store.start();
      const s = store;
      // Door/window changes go on the timeline; trigger points start event recordings.
      kinds = new Map(ctx.config.points.map((p) => [p.info.id, p.info.kind]));
      rebuildTriggers();
      offBus = ctx.bus.subscribe((ev) => {
        for (const p of ev.changed) {
          if (isDoorPoint(p.id, kinds.get(p.id) ?? '')) s.index.addEvent(doorEvent(p.id, p.value, p.changedTs || now()));
          if (p.value === true || p.value === 1) for (const c of triggers.get(p.id) ?? []) s.recorders.get(c)?.trigger(now());
        }
      });
      // New alarms start event recordings of the cameras that see their room.
      lastAlarmTs = now();
      alarmTimer = setInterval(() => {
        const rows = journal()?.query({ from: lastAlarmTs + 1, kind: ['activate', 're-alarm'], ascending: true, limit: 200 }) ?? [];
        const map = seen();
        for (const r of rows) {
          lastAlarmTs = Math.max(lastAlarmTs, r.ts);
          for (const c of new Set([...camerasSeeing(r.area, map), ...(opts.viewing?.(r.pointId) ?? [])])) s.recorders.get(c)?.trigger(r.ts);
        }
      }, 2000);
      alarmTimer.unref();
      ctx.health.register('recording', () => {
        const o = s.overview();
        // ok stays true: a full store pauses recording only; the hub and live video work on.
        return { ok: true, diskFull: o.cameras.filter((c) => c.state === 'disk_full').length, cameras: o.cameras.length, recording: o.cameras.filter((c) => c.state === 'recording').length, bytes: o.store.bytes, quotaBytes: o.store.quotaBytes };
      });
    },
    async reload(next, diff) {
      // recording.yaml changed (or cameras came and went): only the cameras concerned restart their recorder.
      const cams = diff.cameras.added.length + diff.cameras.removed.length + diff.cameras.changed.length > 0;
      const changed = diff.sectionsChanged.includes('recording.yaml');
      if (!hub || !store || opts.config || (!changed && !cams && !diff.sectionsChanged.includes('schedules.yaml') && diff.points.added.length + diff.points.removed.length === 0)) return;
      const nf = sectionOf(next.sections, RECORDING_SECTION) ?? DEFAULT_RECORDING;
      const needsRestart = nf.store.dir !== file.store.dir ? ['recording.yaml store.dir'] : [];
      const keep = needsRestart.length ? { ...nf, store: { ...nf.store, dir: file.store.dir } } : nf;
      file = keep;
      const schedules = next.sections?.get('schedules.yaml') as SchedulesFile | undefined;
      calendar = buildCalendar(schedules?.calendar ?? { holidays: [], workdays: [] });
      kinds = new Map(next.points.map((p) => [p.info.id, p.info.kind]));
      const r = await store.reconfigure(keep);
      rebuildTriggers();
      hub.log.info(r, 'recording config reloaded');
      return needsRestart.length ? { needsRestart } : undefined;
    },
    routes() {
      if (!hub || !store || !cache || !incidents) throw new Error('recording module: routes() before start()');
      const h = hub;
      return recordingRoutes({
        store: () => store!, cache, incidents: () => incidents!, timeline,
        cameras: () => opts.cameras?.()?.ids() ?? [],
        masks: (c) => cameraConfig(file, c).masks,
        exportsDir: path.join(h.dataDir, 'evidence'),
        timezone: h.config.site.timezone, site: h.config.site.id,
        audit: h.audit, requirePermission: h.requirePermission,
      });
    },
    async stop() {
      offBus?.();
      if (alarmTimer) clearInterval(alarmTimer);
      await store?.stop();
      ownJournal?.close();
      ownJournal = undefined;
    },
  };
  return module;
}
