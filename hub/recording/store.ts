// The whole recording store: the index, one Recorder per camera, and retention (days + one disk
// quota for every camera together, oldest first, evidence never pruned). Over quota with nothing
// prunable, recorders pause (state disk_full); live video and the hub carry on.
import fs from 'node:fs';
import path from 'node:path';
import type { RecordingsOverview, SegmentInfo } from '../../contracts/recording.js';
import type { HubLogger } from '../module.js';
import { cameraConfig, type RecordingFile } from './config.js';
import { RecordingIndex } from './index-db.js';
import { Recorder } from './recorder.js';
import { retentionPlan } from './segments.js';

export interface StoreOptions {
  dir: string;
  config: RecordingFile;
  /** Camera id → RTSP URL (from the video module's camera catalog). */
  cameras: () => string[];
  url: (camera: string) => string | undefined;
  scheduled?: (camera: string, now: number) => boolean;
  log: HubLogger;
  now?: () => number;
  /** How often retention runs besides after segments (ms). */
  retentionEveryMs?: number;
}

export class RecordingStore {
  readonly index: RecordingIndex;
  readonly recorders = new Map<string, Recorder>();
  private bytes = 0;
  private full = false;
  private timer: NodeJS.Timeout | undefined;
  private pruning = false;
  private readonly now: () => number;

  constructor(private o: StoreOptions) {
    this.now = o.now ?? Date.now;
    this.index = new RecordingIndex(o.dir);
    this.bytes = this.index.totalBytes();
  }

  get quotaBytes(): number {
    return Math.floor(this.o.config.store.quotaGb * 2 ** 30);
  }

  cameraDir(camera: string): string {
    return path.join(this.o.dir, camera);
  }

  private recorder(camera: string): Recorder {
    return new Recorder({
      camera, dir: this.cameraDir(camera), index: this.index, config: cameraConfig(this.o.config, camera), segmentSeconds: this.o.config.store.segmentSeconds,
      url: () => this.o.url(camera), log: this.o.log, now: this.now,
      scheduled: (now) => this.o.scheduled?.(camera, now) ?? false,
      storeHasRoom: () => !this.full,
      onSegment: (s) => this.onSegment(s),
    });
  }

  async start(): Promise<void> {
    for (const camera of this.o.cameras()) this.recorders.set(camera, this.recorder(camera));
    this.prune();
    await Promise.all([...this.recorders.values()].map((r) => r.start()));
    this.bytes = this.index.totalBytes();
    this.timer = setInterval(() => this.prune(), this.o.retentionEveryMs ?? 60_000);
    this.timer.unref();
  }

  /**
   * A live config reload (recording.yaml, or cameras added/removed): only the recorders whose
   * camera settings (mode, schedule, triggers…) or segment length changed restart; the others keep
   * recording. Quota and retention apply at the next prune. Returns the cameras restarted, started, stopped.
   */
  async reconfigure(config: RecordingFile): Promise<{ restarted: string[]; started: string[]; stopped: string[] }> {
    const prev = this.o.config;
    this.o = { ...this.o, config };
    const out = { restarted: [] as string[], started: [] as string[], stopped: [] as string[] };
    const want = new Set(this.o.cameras());
    for (const [camera, r] of [...this.recorders]) {
      if (want.has(camera)) continue;
      this.recorders.delete(camera);
      await r.stop();
      out.stopped.push(camera);
    }
    for (const camera of want) {
      const old = this.recorders.get(camera);
      if (old && JSON.stringify(cameraConfig(prev, camera)) === JSON.stringify(cameraConfig(config, camera)) && prev.store.segmentSeconds === config.store.segmentSeconds) continue;
      if (old) await old.stop();
      const r = this.recorder(camera);
      this.recorders.set(camera, r);
      await r.start();
      (old ? out.restarted : out.started).push(camera);
    }
    this.prune();
    return out;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.recorders.values()].map((r) => r.stop()));
    this.index.close();
  }

  overview(): RecordingsOverview {
    const evidence = this.index.evidence();
    const evidenceBytes = this.index.allSegments().filter((s) => evidence.some((e) => (!e.camera || e.camera === s.camera) && s.end > e.from && s.start < e.to)).reduce((n, s) => n + s.bytes, 0);
    return {
      cameras: [...this.recorders.values()].map((r) => r.status()),
      store: { bytes: this.bytes, quotaBytes: this.quotaBytes, retentionDays: this.o.config.store.retentionDays, evidenceBytes },
    };
  }

  private onSegment(s: SegmentInfo): void {
    this.bytes += s.bytes;
    if (this.bytes > this.quotaBytes) this.prune();
  }

  /** Applies retention now; returns what it removed. Never throws (a failing disk is logged). */
  prune(): SegmentInfo[] {
    if (this.pruning) return [];
    this.pruning = true;
    try {
      const plan = retentionPlan({
        segments: this.index.allSegments(), evidence: this.index.evidence(), now: this.now(),
        retentionDays: this.o.config.store.retentionDays, quotaBytes: this.quotaBytes,
      });
      for (const s of plan.prune) {
        try {
          fs.rmSync(path.join(this.cameraDir(s.camera), s.file), { force: true });
        } catch (err) {
          this.o.log.warn({ file: s.file, err: (err as Error).message }, 'recording: could not delete a pruned segment');
        }
        this.index.removeSegment(s.camera, s.file);
      }
      this.bytes = plan.bytesAfter;
      const wasFull = this.full;
      this.full = plan.overQuota;
      if (wasFull !== this.full) for (const r of this.recorders.values()) r.evaluate();
      return plan.prune;
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'recording: retention failed');
      return [];
    } finally {
      this.pruning = false;
    }
  }

  /** Room for more: false while over quota with only evidence left. */
  hasRoom(): boolean {
    return !this.full;
  }
}
