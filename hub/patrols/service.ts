// The patrol service: materialises scheduled runs, takes scans (signed token or supervisor
// override), judges them by server time, raises missed/late/out-of-order alarms through the
// alarm engine, opens work orders for failed inspection items, and answers status and compliance.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ComplianceBy, ScanRecord, ScanRequest, ScanResult, RunStatus, CheckpointStatus } from '../../contracts/patrols.js';
import type { HolidayCalendar } from '../control/calendar.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import { PatrolAlarms, patrolAlarmId, type AlarmSink } from './alarms.js';
import { compliance, complianceCsv, type FinishedRun, type ScanFacts } from './compliance.js';
import { alarmConditions, judgeRun, overdue, runBounds, statusOf, type RunJudgement, type RunScan } from './evaluate.js';
import { assigneeOf, plannedRuns } from './schedule.js';
import type { Checkpoint, PatrolsFile, Tour } from './schema.js';
import type { CheckpointSecrets } from './secrets.js';
import type { PatrolStore, RunRow, ScanRow } from './store.js';
import { signToken, verifyToken } from './token.js';

const MIN = 60_000;
/** Runs show on the wall this long before they start. */
const LEAD_MS = 60 * MIN;
/** A scan may come this long before its stop's window opens and still belong to the run (as early). */
const EARLY_MS = 30 * MIN;
const OVERRIDE_MS = 10 * MIN;

export interface WorkOrderSink {
  create(input: { source: 'patrol'; title: string; description: string; trade: string; area: string; priority: 'medium'; patrolId: string; requester: string }): { id: number };
}

export interface PatrolServiceOptions {
  file: PatrolsFile;
  secrets: CheckpointSecrets;
  store: PatrolStore;
  calendar: HolidayCalendar;
  timezone: string;
  now: () => number;
  /** First on-call person of a roster trade for an area (dispatch's roster), if any. */
  onDuty: (trade: string, area: string, at: number) => string | undefined;
  alarms: () => AlarmSink | undefined;
  workOrders: () => WorkOrderSink | undefined;
  audit: AuditLogLike;
  log: HubLogger;
  /** Runs whose status changed (live push). */
  onChange?: (runs: RunStatus[]) => void;
}

interface OpenRun { row: RunRow; tour: Tour; scans: RunScan[]; j: RunJudgement; sig: string }

export class PatrolService {
  readonly tours: Map<string, Tour>;
  readonly checkpoints: Map<string, Checkpoint>;
  private readonly runs = new Map<string, OpenRun>();
  private readonly overrides = new Map<string, { checkpoint: string; issuedBy: string; forUser?: string; expires: number }>();
  private readonly alarmState: PatrolAlarms;
  private since = 0;
  /** Run ids already created or skipped, so a finished run is not looked up again every tick. */
  private readonly seen = new Set<string>();

  constructor(private o: PatrolServiceOptions) {
    this.tours = new Map(o.file.tours.map((t) => [t.id, t]));
    this.checkpoints = new Map(o.file.checkpoints.map((c) => [c.id, c]));
    this.alarmState = new PatrolAlarms(this.tours, this.checkpoints, o.file.alarms);
    o.secrets.ensure([...this.checkpoints.keys()]);
  }

  /**
   * A live config reload (patrols.yaml or the calendar): tours and checkpoints are replaced; runs
   * already open keep the tour they started with, new runs follow the new tours from the next tick.
   */
  reconfigure(file: PatrolsFile, calendar: HolidayCalendar): void {
    this.o = { ...this.o, file, calendar };
    this.tours.clear();
    for (const t of file.tours) this.tours.set(t.id, t);
    this.checkpoints.clear();
    for (const c of file.checkpoints) this.checkpoints.set(c.id, c);
    this.o.secrets.ensure([...this.checkpoints.keys()]);
    this.alarmState.rebuild(this.o.alarms(), file.alarms);
    // Planned runs not yet materialised are looked at again (a new tour, a changed shift).
    this.seen.clear();
    this.tick();
  }

  start(): void {
    this.since = this.o.store.firstStart(this.o.now());
    for (const row of this.o.store.openRuns()) {
      const tour = this.tours.get(row.tour);
      if (!tour) continue;
      const scans = this.o.store.scansOfRun(row.runId).map((s) => ({ checkpoint: s.checkpoint, serverTs: s.serverTs, user: s.user, failed: s.failed, rating: s.rating ?? undefined }));
      this.runs.set(row.runId, this.open(row, tour, scans));
    }
    this.tick();
  }

  private open(row: RunRow, tour: Tour, scans: RunScan[]): OpenRun {
    const j = judgeRun(tour, row.start, scans, this.o.now());
    return { row, tour, scans, j, sig: '' };
  }

  /** Materialises runs, re-judges open ones, finishes those past their grace, syncs alarms. */
  tick(): void {
    const now = this.o.now();
    for (const p of plannedRuns([...this.tours.values()], this.o.calendar, this.o.timezone, now - 24 * 60 * MIN, now + LEAD_MS)) {
      if (this.runs.has(p.runId) || this.seen.has(p.runId)) continue;
      this.seen.add(p.runId);
      const tour = this.tours.get(p.tour)!;
      const { end, graceEnd } = runBounds(tour, p.start);
      if (graceEnd < this.since || this.o.store.hasRun(p.runId)) continue;
      const row: RunRow = { ...p, end, assignee: assigneeOf(tour, p.start, this.o.onDuty), done: false, checkpoints: null };
      this.o.store.addRun(row);
      this.runs.set(p.runId, this.open(row, tour, []));
    }
    const changed: OpenRun[] = [];
    for (const r of this.runs.values()) {
      r.j = judgeRun(r.tour, r.row.start, r.scans, now);
      const sig = r.j.checkpoints.map((c) => c.status[0]).join('') + (now >= r.row.start ? 'r' : 'u');
      if (sig !== r.sig) {
        r.sig = sig;
        changed.push(r);
      }
    }
    for (const r of [...this.runs.values()]) {
      if (now <= r.j.graceEnd) continue;
      this.o.store.finishRun(r.row.runId, r.j.checkpoints);
      this.runs.delete(r.row.runId);
      if (!changed.includes(r)) changed.push(r);
    }
    this.syncAlarms();
    for (const [code, ov] of this.overrides) if (ov.expires < now) this.overrides.delete(code);
    if (changed.length > 0) this.o.onChange?.(changed.map((r) => this.statusOf(r, now)));
  }

  private syncAlarms(tours?: readonly string[]): void {
    const want = new Set<string>();
    for (const r of this.runs.values()) {
      if (tours && !tours.includes(r.tour.id)) continue;
      const c = alarmConditions(r.j.checkpoints);
      for (const cp of c.missed) want.add(patrolAlarmId(r.tour.id, 'missed', cp));
      for (const cp of c.late) want.add(patrolAlarmId(r.tour.id, 'late', cp));
      if (c.order) want.add(patrolAlarmId(r.tour.id, 'order'));
    }
    this.alarmState.sync(this.o.alarms(), want, tours);
  }

  private statusOf(r: OpenRun, now: number): RunStatus {
    const last = [...r.j.checkpoints].filter((c) => c.scannedAt !== undefined).sort((a, b) => b.scannedAt! - a.scannedAt!)[0];
    const cp = last && this.checkpoints.get(last.checkpoint);
    return {
      runId: r.row.runId, tour: r.tour.id, kind: r.tour.kind, shift: r.row.shift, date: r.row.date, dayType: r.row.dayType,
      start: r.row.start, end: r.j.end, assignee: r.row.assignee,
      state: !this.runs.has(r.row.runId) || now > r.j.end ? 'done' : now >= r.row.start ? 'in_progress' : 'upcoming',
      checkpoints: r.j.checkpoints, overdue: overdue(r.j.checkpoints, now), counts: r.j.counts,
      ...(last && cp ? { last: { checkpoint: last.checkpoint, at: last.scannedAt!, by: last.by!, area: cp.area, ...(cp.position ? { position: cp.position } : {}) } } : {}),
    };
  }

  /** The service's clock (the hub's; tests and the simulator's bench inject one). */
  now(): number {
    return this.o.now();
  }

  status(): RunStatus[] {
    const now = this.o.now();
    return [...this.runs.values()].map((r) => this.statusOf(r, now)).sort((a, b) => a.start - b.start || a.runId.localeCompare(b.runId));
  }

  // ---- scanning ----

  scan(user: string, req: ScanRequest): ScanResult {
    const now = this.o.now();
    if (this.o.store.hasScanId(req.scanId)) {
      this.o.audit.record({ user, action: 'patrol.scan_refused', target: req.scanId, details: { reason: 'replayed' } });
      throw new ConflictError('replayed_scan', `scan ${req.scanId} was already recorded: a replay is refused`);
    }
    const { checkpoint, manualBy } = this.identify(user, req);
    const cp = this.checkpoints.get(checkpoint)!;
    if (req.offline && req.clientTs !== undefined && now - req.clientTs > this.o.file.maxOfflineHours * 60 * MIN) {
      throw new InvalidError('stale_offline_scan', `clientTs: an offline scan older than ${this.o.file.maxOfflineHours} h is not taken`);
    }
    const answers = req.answers ?? {};
    for (const k of Object.keys(answers)) if (!cp.checklist.some((i) => i.id === k)) throw new InvalidError('unknown_item', `answers.${k}: not an item of checkpoint "${checkpoint}"`);
    const failed = cp.checklist.filter((i) => answers[i.id] === false).map((i) => i.id);
    if (failed.length > 0 && !req.photo) throw new InvalidError('photo_required', 'photo: a failed inspection item needs a photo');

    const run = this.runFor(checkpoint, user, now);
    let status: ScanResult['status'] = 'unscheduled';
    let claimed: CheckpointStatus | undefined;
    let index: number | null = null;
    let outOfOrder = false;
    if (run) {
      run.scans.push({ checkpoint, serverTs: now, user, failed, rating: req.rating });
      run.j = judgeRun(run.tour, run.row.start, run.scans, now);
      const stop = run.j.checkpoints.find((c) => c.checkpoint === checkpoint && c.scannedAt === now && c.by === user)!;
      status = stop.status;
      index = stop.index;
      outOfOrder = stop.outOfOrder === true;
      if (req.offline && req.clientTs !== undefined) claimed = statusOf(req.clientTs, stop.opens, stop.closes);
    }
    const photo = req.photo ? this.savePhoto(req.photo) : null;
    const row = {
      scanId: req.scanId, checkpoint, user, serverTs: now, clientTs: req.clientTs ?? null, offline: req.offline === true, manualBy: manualBy ?? null,
      runId: run?.row.runId ?? null, tour: run?.tour.id ?? null, runIndex: index, status, claimedStatus: claimed ?? null, outOfOrder,
      failed, itemsTotal: Object.keys(answers).length, rating: req.rating ?? null, photo, note: req.note ?? null,
    };
    const id = this.o.store.addScan(row);
    this.o.audit.record({
      user, action: 'patrol.scan', target: checkpoint,
      details: { run: row.runId, status, offline: row.offline, ...(req.clientTs !== undefined ? { clientTs: req.clientTs } : {}), ...(manualBy ? { manualBy } : {}), ...(failed.length ? { failed } : {}) },
    });
    let workOrder: number | undefined;
    if (failed.length > 0) workOrder = this.openWorkOrder(id, user, cp, run?.tour, failed, req.note);
    if (run) {
      run.sig = '';
      this.syncAlarms([run.tour.id]);
      this.o.onChange?.([this.statusOf(run, now)]);
    }
    return {
      id, scanId: req.scanId, checkpoint, name: cp.name, runId: row.runId, tour: row.tour, status, serverTs: now, offline: row.offline, outOfOrder,
      ...(req.clientTs !== undefined ? { clientTs: req.clientTs } : {}), ...(claimed ? { claimedStatus: claimed } : {}), ...(manualBy ? { manualBy } : {}),
      ...(workOrder !== undefined ? { workOrder } : {}),
    };
  }

  private identify(user: string, req: ScanRequest): { checkpoint: string; manualBy?: string } {
    if (req.token !== undefined) {
      const v = verifyToken(req.token, (id) => (this.checkpoints.has(id) ? this.o.secrets.key(id) : undefined));
      if (!v.ok) {
        this.o.audit.record({ user, action: 'patrol.scan_refused', target: v.checkpoint ?? '?', details: { reason: v.reason } });
        const why = { malformed: 'not a Watchfloor checkpoint code', unknown_checkpoint: 'unknown checkpoint', rotated: 'this code was replaced (rotated): use the new print', bad_signature: 'the code\'s signature is wrong (forged or copied)' }[v.reason];
        throw new InvalidError(`token_${v.reason}`, `token: ${why}`);
      }
      return { checkpoint: v.checkpoint };
    }
    if (req.manual) {
      const ov = this.overrides.get(req.manual.overrideCode);
      const now = this.o.now();
      if (!ov || ov.expires < now || ov.checkpoint !== req.manual.checkpoint || (ov.forUser && ov.forUser !== user)) {
        this.o.audit.record({ user, action: 'patrol.scan_refused', target: req.manual.checkpoint, details: { reason: 'bad_override' } });
        throw new ForbiddenError('override_required', 'manual entry needs a valid supervisor override code for this checkpoint');
      }
      this.overrides.delete(req.manual.overrideCode);
      return { checkpoint: ov.checkpoint, manualBy: ov.issuedBy };
    }
    throw new InvalidError('token_required', 'token: the scanned code (or manual with an override code) is required');
  }

  /** The open run this scan belongs to: the assignee's first, then the stop planned closest to now. */
  private runFor(checkpoint: string, user: string, now: number): OpenRun | undefined {
    let best: { r: OpenRun; score: number } | undefined;
    let alreadyScanned = false;
    for (const r of this.runs.values()) {
      const stop = r.j.checkpoints.find((c) => c.checkpoint === checkpoint && c.scannedAt === undefined);
      if (!stop) {
        if (r.j.checkpoints.some((c) => c.checkpoint === checkpoint && now <= r.j.graceEnd && now >= r.row.start)) alreadyScanned = true;
        continue;
      }
      if (now < stop.opens - EARLY_MS || now > r.j.graceEnd) continue;
      const score = (r.row.assignee === user ? 0 : 1e12) + Math.abs(now - stop.due);
      if (!best || score < best.score) best = { r, score };
    }
    if (!best && alreadyScanned) throw new ConflictError('already_scanned', `checkpoint "${checkpoint}" was already scanned in this run`);
    return best?.r;
  }

  private savePhoto(dataUrl: string): string {
    const m = /^data:image\/(jpeg|png|webp);base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
    if (!m) throw new InvalidError('bad_photo', 'photo: must be a data URL of a JPEG, PNG or WebP image');
    const bytes = Buffer.from(m[2], 'base64');
    if (bytes.length > 180_000) throw new InvalidError('photo_too_large', 'photo: at most 180 kB (resize on the phone)');
    const name = `${this.o.now()}-${randomInt(1e9)}.${m[1] === 'jpeg' ? 'jpg' : m[1]}`;
    fs.writeFileSync(path.join(this.o.store.photoDir, name), bytes, { mode: 0o600 });
    return name;
  }

  private openWorkOrder(scanRow: number, user: string, cp: Checkpoint, tour: Tour | undefined, failed: string[], note?: string): number | undefined {
    const wo = this.o.workOrders();
    if (!wo) return undefined;
    const labels = failed.map((f) => cp.checklist.find((i) => i.id === f)?.label['zh-CN'] ?? f);
    try {
      const order = wo.create({
        source: 'patrol', title: `巡检不合格 Inspection failed: ${cp.name['zh-CN']} / ${cp.name.en}`, description: `${labels.join('、')}${note ? `\n${note}` : ''}`,
        trade: tour?.workOrderTrade ?? 'cleaning', area: cp.area, priority: 'medium', patrolId: `scan-${scanRow}`, requester: user,
      });
      this.o.store.setWorkOrder(scanRow, order.id);
      return order.id;
    } catch (err) {
      this.o.log.warn({ err, checkpoint: cp.id }, 'patrol: could not open a work order for a failed inspection');
      return undefined;
    }
  }

  // ---- supervisor actions ----

  issueOverride(supervisor: string, checkpoint: string, forUser?: string): { code: string; checkpoint: string; expiresAt: number } {
    if (!this.checkpoints.has(checkpoint)) throw new NotFoundError('unknown_checkpoint', `unknown checkpoint "${checkpoint}"`);
    const code = String(randomInt(10_000_000, 100_000_000));
    const expiresAt = this.o.now() + OVERRIDE_MS;
    this.overrides.set(code, { checkpoint, issuedBy: supervisor, forUser, expires: expiresAt });
    this.o.audit.record({ user: supervisor, action: 'patrol.override_issued', target: checkpoint, details: { ...(forUser ? { forUser } : {}), expiresAt } });
    return { code, checkpoint, expiresAt };
  }

  rotate(user: string, checkpoint: string): { checkpoint: string; version: number } {
    if (!this.checkpoints.has(checkpoint)) throw new NotFoundError('unknown_checkpoint', `unknown checkpoint "${checkpoint}"`);
    const version = this.o.secrets.rotate(checkpoint);
    this.o.audit.record({ user, action: 'patrol.rotate', target: checkpoint, details: { version } });
    return { checkpoint, version };
  }

  /** The current code of every checkpoint (for printing): supervisors only, audited by the route. */
  codes(): Array<{ checkpoint: string; name: Checkpoint['name']; area: string; version: number; token: string }> {
    return [...this.checkpoints.values()].map((c) => {
      const k = this.o.secrets.key(c.id)!;
      return { checkpoint: c.id, name: c.name, area: c.area, version: k.version, token: signToken(k.secret, c.id, k.version) };
    });
  }

  // ---- reading ----

  scans(f: { from?: number; to?: number; user?: string; limit?: number }): ScanRecord[] {
    return this.o.store.scans(f).map((s) => this.recordOf(s));
  }

  private recordOf(s: ScanRow): ScanRecord {
    const cp = this.checkpoints.get(s.checkpoint);
    return {
      id: s.id, scanId: s.scanId, checkpoint: s.checkpoint, name: cp?.name ?? { en: s.checkpoint, 'zh-CN': s.checkpoint }, runId: s.runId, tour: s.tour,
      status: s.status, serverTs: s.serverTs, offline: s.offline, outOfOrder: s.outOfOrder, user: s.user, failed: s.failed, hasPhoto: s.photo !== null,
      ...(s.clientTs !== null ? { clientTs: s.clientTs } : {}), ...(s.claimedStatus ? { claimedStatus: s.claimedStatus } : {}),
      ...(s.manualBy ? { manualBy: s.manualBy } : {}), ...(s.rating !== null ? { rating: s.rating } : {}), ...(s.workOrder !== null ? { workOrder: s.workOrder } : {}),
    };
  }

  compliance(by: ComplianceBy, from: number, to: number) {
    const runs: FinishedRun[] = this.o.store.finishedRuns(from, to).map((r) => ({
      runId: r.runId, tour: r.tour, shift: r.shift, area: this.tours.get(r.tour)?.area ?? '', assignee: r.assignee, start: r.start, checkpoints: r.checkpoints ?? [],
    }));
    const facts = new Map<string, ScanFacts>();
    const ids = new Set(runs.map((r) => r.runId));
    for (const s of this.o.store.scansBetween(from, to + 2 * 24 * 60 * MIN)) {
      if (s.runId && ids.has(s.runId) && s.runIndex !== null) facts.set(`${s.runId}#${s.runIndex}`, { manual: s.manualBy !== null, offline: s.offline, itemsTotal: s.itemsTotal, itemsFailed: s.failed.length });
    }
    const r = compliance(runs, by, this.o.timezone, (runId, i) => facts.get(`${runId}#${i}`));
    return { by, from, to, ...r, csv: () => complianceCsv(by, r.rows, r.total) };
  }
}
