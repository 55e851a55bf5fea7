// One camera's live stream: one ffmpeg no matter how many viewers, started on the first viewer and
// stopped a grace period after the last; late joiners get the init segment at once and start at
// the next keyframe; a rolling buffer of recent fragments feeds clips and instant snapshots.
// Fast start: a viewer joining a live stream gets the init segment and the current GOP (from the
// latest keyframe) at once, so its first frame does not wait for the camera's next keyframe.
import { ffmpegMissing, startRemux, type RemuxProcess, type RtspCredentials } from './ffmpeg.js';
import { Mp4Splitter } from './mp4.js';

export type StreamState = 'idle' | 'starting' | 'live' | 'reconnecting' | 'failed';

export interface StreamStatus {
  state: StreamState;
  viewers: number;
  transport: 'tcp' | 'udp';
  transcoding: boolean;
  /** e.g. `transcoding H.265 → H.264 (browser cannot play hevc)` or why it is reconnecting. */
  detail?: string;
  codec?: string;
  restarts: number;
}

/** A consumer of the stream: a WebSocket viewer or an internal one (clip recorder). */
export interface Viewer {
  sendInit(data: Buffer): void;
  sendFragment(data: Buffer): void;
  sendStatus(status: { status: 'reconnecting' | 'live' | 'failed'; detail?: string }): void;
  /** Bytes queued and not yet sent; above the limit the viewer skips to the next keyframe. */
  backlog(): number;
  /** A recorder, clip or warm-up inside the hub: not counted against the viewer limit. */
  internal?: boolean;
}

interface ViewerState { viewer: Viewer; needInit: boolean; needKey: boolean }
interface BufferedFragment { at: number; data: Buffer; keyframe: boolean }

export interface StreamOptions {
  cameraId: string;
  /** Current RTSP URL (asked again at every (re)start: the camera may have moved). */
  url(): string | undefined;
  /** RTSP user and password (given to ffmpeg only, never logged). */
  credentials?(): RtspCredentials | undefined;
  /** Transport fixed by config; default: TCP, switching to UDP if TCP never delivered a picture. */
  transport?(): 'tcp' | 'udp' | undefined;
  /** Before transcoding: a refusal message when the gateway's transcoding budget is used up. */
  mayTranscode?(): string | undefined;
  /** The camera's reported codec, e.g. H265: transcode from the start. */
  codecHint(): string | undefined;
  graceMs: number;
  bufferSeconds: number;
  maxBacklogBytes?: number;
  backoff?: { initialMs: number; maxMs: number };
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  onStatus?(s: StreamStatus): void;
  /** ffmpeg binary (default FFMPEG_PATH). */
  ffmpegPath?: string;
  /** How many ffmpeg processes are running (for tests and health). */
  counters?: { spawned: number; running: number };
  /** A filter graph burnt in before any viewer sees a frame (privacy masks, masked.ts): always re-encodes. */
  filter?: string;
}

const BROWSER_CODECS = /^(h264|avc)/i;
const AVCC = Buffer.from('avcC');
const HVCC = Buffer.from('hvcC');

export class CameraStream {
  private readonly viewers = new Set<ViewerState>();
  private proc?: RemuxProcess;
  private splitter = new Mp4Splitter();
  private init?: Buffer;
  private recent: BufferedFragment[] = [];
  private status: StreamStatus = { state: 'idle', viewers: 0, transport: 'tcp', transcoding: false, restarts: 0 };
  private graceTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private gotData = false;
  private closed = false;
  private failing = false;

  constructor(private readonly o: StreamOptions) {}

  getStatus(): StreamStatus {
    return { ...this.status, viewers: this.viewerCount() };
  }

  /** Viewers that count against the limit (not internal ones). */
  viewerCount(): number {
    let n = 0;
    for (const v of this.viewers) if (!v.viewer.internal) n++;
    return n;
  }

  /** ffmpeg runs (or is between restarts) for this camera. */
  get running(): boolean {
    return !!this.proc || !!this.retryTimer || this.viewers.size > 0;
  }

  get transcoding(): boolean {
    return this.status.transcoding && this.running;
  }

  /** Keeps the stream running for `ms` without a viewer (alarm cameras: the operator's first frame is instant). */
  warm(ms: number): void {
    const release = this.add({ sendInit() {}, sendFragment() {}, sendStatus() {}, backlog: () => 0, internal: true });
    setTimeout(release, ms).unref?.();
  }

  /** Adds a viewer; starts ffmpeg if it is the first. Returns the function that removes it. */
  add(viewer: Viewer): () => void {
    const st: ViewerState = { viewer, needInit: true, needKey: true };
    this.viewers.add(st);
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (this.init) {
      viewer.sendInit(this.init);
      st.needInit = false;
      // The GOP so far, from its keyframe: the player decodes it and shows the live frame now.
      const gop = this.currentGop();
      if (gop.length) {
        for (const f of gop) viewer.sendFragment(f.data);
        st.needKey = false;
      }
    }
    if (!this.proc && !this.retryTimer) this.spawn();
    this.emit();
    return () => this.remove(st);
  }

  private remove(st: ViewerState): void {
    if (!this.viewers.delete(st)) return;
    this.emit();
    if (this.viewers.size === 0 && !this.graceTimer) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        if (this.viewers.size === 0) this.halt('idle');
      }, this.o.graceMs);
    }
  }

  /** Fragments from the latest keyframe to now (empty before the first keyframe). */
  private currentGop(): BufferedFragment[] {
    for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i].keyframe) return this.recent.slice(i);
    return [];
  }

  /** Init segment + buffered fragments from the first keyframe at or after `fromMs` (or the oldest kept). */
  recording(fromMs: number): Buffer | undefined {
    if (!this.init) return undefined;
    let start = this.recent.findIndex((f) => f.keyframe && f.at >= fromMs);
    if (start < 0) {
      // Nothing that recent: take the last keyframe before it, so the clip still starts cleanly.
      for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i].keyframe && this.recent[i].at < fromMs) { start = i; break; }
    }
    if (start < 0) return undefined;
    return Buffer.concat([this.init, ...this.recent.slice(start).map((f) => f.data)]);
  }

  /** Init + the latest keyframe fragment (for an instant snapshot), if live. */
  latestKeyframe(): Buffer | undefined {
    if (!this.init || this.status.state !== 'live') return undefined;
    for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i].keyframe) return Buffer.concat([this.init, this.recent[i].data]);
    return undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.viewers.clear();
    clearTimeout(this.graceTimer);
    this.halt('idle');
  }

  private halt(state: StreamState): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.proc) {
      this.proc.kill();
      this.proc = undefined;
      if (this.o.counters) this.o.counters.running--;
    }
    this.init = undefined;
    this.recent = [];
    this.status = { ...this.status, state, detail: undefined };
    this.attempt = 0;
    this.emit();
  }

  private spawn(): void {
    if (this.closed) return;
    const missing = ffmpegMissing(this.o.ffmpegPath);
    const url = this.o.url();
    if (missing || !url) {
      this.fault(missing ?? 'camera has not reported a stream URI yet (offline or connecting)');
      return;
    }
    const hint = this.o.codecHint();
    if (this.o.filter && !this.status.transcoding) this.status = { ...this.status, transcoding: true, detail: 'privacy masks burnt in (re-encoded to H.264)' };
    if (hint && !BROWSER_CODECS.test(hint) && !this.status.transcoding) this.setTranscoding(hint);
    if (this.status.transcoding) {
      const refused = this.o.mayTranscode?.();
      if (refused) {
        this.fault(refused);
        return;
      }
    }
    const pinned = this.o.transport?.();
    if (pinned) this.status = { ...this.status, transport: pinned };
    this.splitter = new Mp4Splitter();
    this.gotData = false;
    this.status = { ...this.status, state: this.status.state === 'reconnecting' ? 'reconnecting' : 'starting' };
    this.emit();
    if (this.o.counters) {
      this.o.counters.spawned++;
      this.o.counters.running++;
    }
    const proc = startRemux(
      { url, credentials: this.o.credentials?.(), transport: this.status.transport, transcode: this.status.transcoding, ffmpegPath: this.o.ffmpegPath, filter: this.o.filter },
      {
        onData: (chunk) => proc === this.proc && this.onData(chunk),
        onCodec: (video) => proc === this.proc && this.onCodec(video),
        onExit: (reason) => {
          if (proc !== this.proc) return;
          this.proc = undefined;
          if (this.o.counters) this.o.counters.running--;
          this.fault(reason);
        },
      },
    );
    this.proc = proc;
  }

  private setTranscoding(codec: string): void {
    this.status = { ...this.status, transcoding: true, codec, detail: `transcoding ${codec} → H.264 (the browser cannot play ${codec})` };
  }

  private onCodec(video: string): void {
    this.status = { ...this.status, codec: video };
    if (!BROWSER_CODECS.test(video) && !this.status.transcoding) {
      // Found out from the stream itself: restart once with the transcoder.
      this.setTranscoding(video.split(' ')[0]);
      this.o.log.warn({ camera: this.o.cameraId, codec: video }, `camera ${this.o.cameraId} sends ${video}: transcoding to H.264`);
      this.proc?.kill();
      this.proc = undefined;
      if (this.o.counters) this.o.counters.running--;
      this.spawn();
    }
  }

  private onData(chunk: Buffer): void {
    let pieces;
    try {
      pieces = this.splitter.push(chunk);
    } catch (err) {
      this.proc?.kill();
      this.proc = undefined;
      if (this.o.counters) this.o.counters.running--;
      this.fault(`unreadable MP4 from ffmpeg: ${(err as Error).message}`);
      return;
    }
    for (const p of pieces) {
      if (p.type === 'init') {
        // The init segment says what the stream is, before any viewer sees it (ffmpeg's stderr
        // codec line can arrive after stdout): anything but H.264 restarts with the transcoder.
        if (!this.status.transcoding && !p.data.includes(AVCC)) {
          this.onCodec(p.data.includes(HVCC) ? 'hevc' : 'unknown codec');
          return;
        }
        this.init = p.data;
        this.recent = [];
        if (!this.gotData) {
          this.gotData = true;
          if (this.failing) this.o.log.info({ camera: this.o.cameraId }, `video of camera ${this.o.cameraId} is back`);
          this.failing = false;
          this.attempt = 0;
          const wasReconnecting = this.status.state === 'reconnecting';
          this.status = { ...this.status, state: 'live', detail: this.status.transcoding ? this.status.detail : undefined };
          this.emit();
          if (wasReconnecting) for (const v of this.viewers) v.viewer.sendStatus({ status: 'live' });
        }
        for (const v of this.viewers) {
          v.viewer.sendInit(p.data);
          v.needInit = false;
          v.needKey = true;
        }
        continue;
      }
      const now = Date.now();
      this.recent.push({ at: now, data: p.data, keyframe: p.keyframe });
      const horizon = now - this.o.bufferSeconds * 1000;
      // Keep from the last keyframe at or before the horizon, so the buffer always starts decodable.
      let cut = 0;
      for (let i = 0; i < this.recent.length && this.recent[i].at < horizon; i++) if (this.recent[i].keyframe) cut = i;
      if (cut > 0) this.recent.splice(0, cut);
      for (const v of this.viewers) {
        if (v.needInit) continue;
        if (v.viewer.backlog() > (this.o.maxBacklogBytes ?? 4 * 1024 * 1024)) {
          v.needKey = true; // slow viewer: drop until the next keyframe rather than fall behind
          continue;
        }
        if (v.needKey && !p.keyframe) continue;
        v.needKey = false;
        v.viewer.sendFragment(p.data);
      }
    }
  }

  private fault(reason: string): void {
    if (this.closed) return;
    if (this.o.transport?.()) {
      // Transport fixed by config: never switch.
    } else if (!this.gotData && this.status.transport === 'tcp' && !/not found|stream URI|transcoding budget|401/.test(reason)) {
      // Never got a picture over TCP: try UDP next time (and back, alternating).
      this.status = { ...this.status, transport: 'udp' };
    } else if (!this.gotData && this.status.transport === 'udp') {
      this.status = { ...this.status, transport: 'tcp' };
    }
    if (!this.failing) this.o.log.warn({ camera: this.o.cameraId, reason }, `video of camera ${this.o.cameraId} lost: ${reason}`);
    this.failing = true;
    this.init = undefined;
    for (const v of this.viewers) {
      v.needInit = true;
      v.needKey = true;
      v.viewer.sendStatus({ status: /ffmpeg not found|transcoding budget/.test(reason) ? 'failed' : 'reconnecting', detail: reason });
    }
    const b = this.o.backoff ?? { initialMs: 500, maxMs: 10_000 };
    const delay = Math.min(b.maxMs, b.initialMs * 2 ** this.attempt);
    this.attempt++;
    // ffmpeg itself missing is not a camera problem: say "failed" (still retried, it may get installed);
    // nor is a used-up transcoding budget (retried: another stream may end).
    const broken = /ffmpeg not found|transcoding budget/.test(reason);
    this.status = { ...this.status, state: broken ? 'failed' : this.viewers.size ? 'reconnecting' : 'idle', detail: reason, restarts: this.status.restarts + 1 };
    this.emit();
    if (!this.viewers.size) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.viewers.size && !this.proc) this.spawn();
    }, delay);
  }

  private emit(): void {
    this.o.onStatus?.(this.getStatus());
  }
}
