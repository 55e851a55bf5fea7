// One camera's recorder: its own ffmpeg (`-c copy`, independent of the live gateway, so a failing
// recorder never touches live video), segments indexed as ffmpeg closes them, gaps recorded with
// their reason, restarts with backoff. Modes: continuous; event (always records, keeps only the
// pre/post-roll around triggers); schedule (runs inside the calendar windows).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { GapReason, RecorderState, RecorderStatus, SegmentInfo } from '../../contracts/recording.js';
import type { HubLogger } from '../module.js';
import type { CameraRecordingConfig } from './config.js';
import { FFMPEG, recordArgs, redactUserinfo } from './ffmpeg-args.js';
import type { RecordingIndex } from './index-db.js';
import { recoverCameraDir } from './recover.js';
import { parseSegmentListLine, StreamClock } from './segments.js';

export interface RecorderOptions {
  camera: string;
  dir: string;
  index: RecordingIndex;
  config: CameraRecordingConfig;
  segmentSeconds: number;
  url: () => string | undefined;
  log: HubLogger;
  /** Called after every indexed segment (store bookkeeping, retention). */
  onSegment?(s: SegmentInfo): void;
  /** Whether the store may take more (false: over quota with nothing prunable). */
  storeHasRoom?(): boolean;
  /** For mode schedule. */
  scheduled?(now: number): boolean;
  now?: () => number;
  ffmpegPath?: string;
}

/** Why ffmpeg stopped, from its last error lines: a storage failure is not a camera failure. */
export function classifyExit(stderr: string): GapReason {
  return /No space left|Disk quota|Read-only file system|Permission denied|Input\/output error|Error opening output|Failed to open segment/i.test(stderr) ? 'write_failed' : 'camera_offline';
}

/**
 * Whether the hole before a new segment is a gap to index. Jitter between the segments of one
 * ffmpeg is not; after ffmpeg stopped on its own any hole is, with its reason (a write failure
 * at a segment boundary can cost well under the 1.5 s jitter allowance).
 */
export function holeIsGap(holeMs: number, afterRestart: boolean): boolean {
  return holeMs > 1500 || (afterRestart && holeMs > 0);
}

export class Recorder {
  private proc: ChildProcess | undefined;
  private state: RecorderState = 'idle';
  private detail: string | undefined;
  private since: number;
  private segmentsCount = 0;
  private backoffMs = 500;
  private timer: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;
  private stopped = false;
  private clock = new StreamClock();
  /** Why the next hole in the recording happened (set when ffmpeg stops). */
  private pendingReason: GapReason = 'hub_down';
  /** ffmpeg stopped on its own since the last indexed segment: the next hole is a gap, however short. */
  private restarted = false;
  /** Mode event: segments that start before this are kept. */
  private keepUntil = 0;
  private readonly now: () => number;

  constructor(private readonly o: RecorderOptions) {
    this.now = o.now ?? Date.now;
    this.since = this.now();
    fs.mkdirSync(o.dir, { recursive: true });
  }

  /** Index finished segments left on disk (restart, crash), then record per the mode. */
  async start(): Promise<void> {
    await this.recover();
    if (this.o.config.mode === 'off') return this.set('off');
    this.tick = setInterval(() => this.evaluate(), 5000);
    this.tick.unref();
    this.evaluate();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tick) clearInterval(this.tick);
    if (this.timer) clearTimeout(this.timer);
    await this.killProc();
  }

  /** The recording ffmpeg's pid while it runs (CPU accounting, crash tests). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  status(): RecorderStatus {
    const last = this.o.index.lastSegment(this.o.camera);
    return { camera: this.o.camera, mode: this.o.config.mode, state: this.state, detail: this.detail, since: this.since, segments: this.segmentsCount, lastSegmentEnd: last?.end };
  }

  /** Mode event: a trigger at `ts` keeps [ts − pre, ts + post]. */
  trigger(ts = this.now()): void {
    if (this.o.config.mode !== 'event') return;
    this.o.index.keepRange(this.o.camera, ts - this.o.config.preRollSeconds * 1000, ts + this.o.config.postRollSeconds * 1000);
    this.keepUntil = Math.max(this.keepUntil, ts + this.o.config.postRollSeconds * 1000);
  }

  /** Start or stop ffmpeg as the mode, the schedule and the store say. */
  evaluate(): void {
    if (this.stopped) return;
    const now = this.now();
    if (this.o.config.mode === 'event') this.dropOldUnkept(now);
    if (this.o.storeHasRoom && !this.o.storeHasRoom()) {
      if (this.state !== 'disk_full') this.o.log.warn({ camera: this.o.camera }, 'recording: store over quota with nothing prunable (evidence?): recording paused, live video unaffected');
      this.pendingReason = 'disk_full';
      void this.killProc();
      return this.set('disk_full', 'store over quota; only evidence left');
    }
    if (this.o.config.mode === 'schedule' && !(this.o.scheduled?.(now) ?? false)) {
      if (this.proc) this.pendingReason = 'not_scheduled';
      void this.killProc();
      return this.set('waiting', 'outside the schedule');
    }
    if (!this.proc && !this.timer && !this.recovering) this.spawn();
  }

  private recovering = false;
  private async recover(): Promise<void> {
    this.recovering = true;
    try {
      await recoverCameraDir(this.o.camera, this.o.dir, this.o.index, this.o.log);
    } catch (err) {
      this.o.log.warn({ camera: this.o.camera, err: (err as Error).message }, 'recording: recovery of segments on disk failed');
    } finally {
      this.recovering = false;
    }
  }

  private set(state: RecorderState, detail?: string): void {
    if (state !== this.state) this.since = this.now();
    this.state = state;
    this.detail = detail;
  }

  private spawn(): void {
    const url = this.o.url();
    if (!url) return this.set('failed', 'camera has no stream URL yet');
    try {
      fs.mkdirSync(this.o.dir, { recursive: true });
    } catch (err) {
      this.pendingReason = 'write_failed';
      return this.set('failed', `write_failed: ${(err as Error).message}`);
    }
    const proc = spawn(this.o.ffmpegPath ?? FFMPEG, recordArgs(url, this.o.segmentSeconds), { cwd: this.o.dir, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.clock = new StreamClock();
    let stderr = '';
    let buf = '';
    proc.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.onListLine(line);
      }
    });
    proc.on('error', (err) => {
      stderr += err.message;
    });
    proc.on('close', () => {
      if (this.proc !== proc) return;
      this.proc = undefined;
      if (this.stopped) return;
      const reason = classifyExit(stderr);
      this.pendingReason = reason;
      this.restarted = true;
      const tail = redactUserinfo(stderr.trim().split('\n').slice(-2).join(' | '));
      this.set('failed', `${reason}: ${tail || 'ffmpeg ended'}`);
      this.o.log.warn({ camera: this.o.camera, reason, detail: tail }, 'recording: ffmpeg stopped; retrying');
      // The open segment of a crashed ffmpeg was never listed: index what is playable of it
      // before the next ffmpeg starts writing beside it.
      this.timer = setTimeout(() => {}, 60_000);
      this.timer.unref();
      void this.recover().then(() => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.evaluate();
        }, this.backoffMs);
        this.timer.unref();
        this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
      });
    });
    this.set('recording');
  }

  private onListLine(line: string): void {
    const entry = parseSegmentListLine(line);
    if (!entry) return;
    const file = path.join(this.o.dir, entry.file);
    let bytes = 0;
    try {
      bytes = fs.statSync(file).size;
    } catch {
      return; // pruned or never written (write failure): nothing to index
    }
    const { start, end } = this.clock.place(entry, this.now());
    const seg: SegmentInfo = { camera: this.o.camera, file: entry.file, start, end, bytes };
    try {
      const last = this.o.index.lastSegment(this.o.camera);
      if (last && holeIsGap(start - last.end, this.restarted)) this.o.index.addGap(this.o.camera, last.end, start, this.pendingReason);
      this.restarted = false;
      const keep = this.o.config.mode !== 'event' || start < this.keepUntil;
      this.o.index.addSegment(seg, keep);
      this.segmentsCount++;
      this.backoffMs = 500;
      this.pendingReason = 'camera_offline';
      if (this.state !== 'recording') this.set('recording');
      this.o.onSegment?.(seg);
    } catch (err) {
      this.o.log.warn({ camera: this.o.camera, err: (err as Error).message }, 'recording: could not index a segment (disk?)');
    }
  }

  private dropOldUnkept(now: number): void {
    const horizon = now - this.o.config.preRollSeconds * 1000 - this.o.segmentSeconds * 1000;
    for (const s of this.o.index.unkeptBefore(this.o.camera, horizon)) {
      fs.rmSync(path.join(this.o.dir, s.file), { force: true });
      this.o.index.removeSegment(s.camera, s.file);
    }
  }

  private killProc(): Promise<void> {
    const p = this.proc;
    if (!p) return Promise.resolve();
    this.proc = undefined;
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        p.kill('SIGKILL');
        resolve();
      }, 3000);
      p.once('close', () => {
        clearTimeout(t);
        // A graceful stop lists the last segment; index anything else that is playable.
        void this.recover().then(() => resolve());
      });
      // 'q' is ignored with -nostdin; SIGINT makes ffmpeg close the open segment and list it.
      p.kill('SIGINT');
    });
  }
}
