// The video gateway: camera streams by id, WebSocket viewers at /video/<cameraId> on the hub's HTTP
// server (binary fMP4 frames, JSON text for status), snapshots and alarm clips on disk.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { snapshotFromFragments, snapshotFromRtsp, type RtspCredentials } from './ffmpeg.js';
import { admitViewer, DEFAULT_LIMITS, type VideoLimits } from './limits.js';
import type { DomainError } from '../errors.js';
import { fetchSnapshot } from './snapshot-http.js';
import type { LiveMasking } from './masked.js';
import { CameraStream, type StreamStatus } from './stream.js';

export interface CameraSourceInfo {
  id: string;
  /** RTSP URL without credentials (safe to show). */
  streamUri?: string;
  codec?: string;
  /** RTSP user and password: only ever handed to ffmpeg or the snapshot fetch. */
  credentials?: RtspCredentials;
  /** Transport fixed by config (RTSP-only cameras, or an ONVIF camera's `rtsp.transport`). */
  transport?: 'tcp' | 'udp';
  /** HTTP(S) JPEG snapshot URL, used when no stream is live. */
  snapshotUri?: string;
  /** This camera's viewer limit (config); default the gateway's. */
  maxViewers?: number;
}

/** Where the gateway learns cameras and their stream URIs (the ONVIF registry, or a fixed list). */
export interface CameraDirectory {
  ids(): string[];
  get(id: string): CameraSourceInfo | undefined;
}

/** Who is asking (with the session's role: it chooses masked or plain video), or why not: the hub's session check (see module.ts). */
export type UpgradeAuthorizer = (req: IncomingMessage) => Promise<{ ok: true; user: string; role?: string } | { ok: false; status: 401 | 403; message: string }>;

export interface GatewayOptions {
  cameras: CameraDirectory;
  dataDir: string;
  authorize: UpgradeAuthorizer;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
  graceMs?: number;
  bufferSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
  onStatus?(cameraId: string, s: StreamStatus): void;
  ffmpegPath?: string;
  limits?: Partial<VideoLimits>;
  /** Privacy-masked live streams (masked.ts): a viewer whose role is masked for a camera gets only those. */
  masking?: LiveMasking;
}

export const VIDEO_PATH = /^\/video\/([a-z0-9][a-z0-9-]*)\/?$/;

const BROWSER_CODEC = /^(h264|avc)/i;
/** A consumer inside the hub (warm-up, standby, clip): keeps ffmpeg running, not counted as a viewer. */
const idleViewer = () => ({ sendInit() {}, sendFragment() {}, sendStatus() {}, backlog: () => 0, internal: true });

export class VideoGateway {
  readonly counters = { spawned: 0, running: 0 };
  private readonly streams = new Map<string, CameraStream>();
  /** Standby cameras (standby.ts) and the release of the internal viewer that keeps each one running. */
  private readonly standbys = new Map<string, () => void>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private server?: Server;
  // A hostile upgrade (unparsable URL, a client that resets mid-check) must be refused, never
  // become an unhandled rejection or an unhandled socket 'error' that ends the hub.
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    this.upgrade(req, socket, head).catch((err: unknown) => {
      this.o.log.warn({ error: String((err as Error)?.message ?? err).split('\n')[0] }, 'video upgrade refused');
      socket.destroy();
    });
  };

  readonly limits: VideoLimits;

  constructor(private readonly o: GatewayOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
  }

  /** Cameras whose stream is transcoded now. */
  transcodingCameras(): string[] {
    return [...[...this.streams.entries()].filter(([, s]) => s.transcoding).map(([id]) => id), ...(this.o.masking?.transcoding() ?? [])];
  }

  /** Why a new viewer of `id` (of this role: masked or plain stream) would be refused (viewer limit, transcoding budget), or undefined. */
  admission(id: string, role?: string): DomainError | undefined {
    const cam = this.o.cameras.get(id);
    const s = this.streams.get(id);
    const st = s?.getStatus();
    const limits = { ...this.limits, maxViewersPerCamera: cam?.maxViewers ?? this.limits.maxViewersPerCamera };
    if (this.o.masking?.masked(id, role)) return this.o.masking.admission(id, { plainViewers: s?.viewerCount() ?? 0, transcoding: this.transcodingCameras(), limits });
    return admitViewer({
      camera: id,
      viewers: (s?.viewerCount() ?? 0) + (this.o.masking?.viewers(id) ?? 0),
      running: !!s?.running,
      needsTranscode: !!st?.transcoding || (!!cam?.codec && !BROWSER_CODEC.test(cam.codec)),
      transcoding: this.transcodingCameras(),
      limits,
    });
  }

  /** Starts (or keeps) the stream of `id` for `ms` with no viewer: its first frame is instant when opened. */
  warm(id: string, ms = 60_000): boolean {
    const s = this.stream(id);
    if (!s) return false;
    s.warm(ms);
    return true;
  }

  /**
   * Keeps exactly these cameras streaming with no viewer (hub/video/standby.ts), until the next call.
   * A camera not reporting a stream URI yet is left for a later call (the module calls again), and a
   * camera that needs transcoding is never kept: a standby stream must cost a `-c copy` remux only.
   * Returns the cameras on standby now.
   */
  setStandby(ids: readonly string[]): string[] {
    for (const [id, release] of this.standbys) {
      if (ids.includes(id)) continue;
      this.standbys.delete(id);
      release(); // the stream stops a grace period later, unless someone watches it
    }
    for (const id of ids) {
      if (this.standbys.has(id)) continue;
      const cam = this.o.cameras.get(id);
      if (!cam?.streamUri || (cam.codec && !BROWSER_CODEC.test(cam.codec)) || this.streams.get(id)?.getStatus().transcoding) continue;
      this.standbys.set(id, this.stream(id)!.add(idleViewer()));
    }
    return this.standbyCameras();
  }

  standbyCameras(): string[] {
    return [...this.standbys.keys()];
  }

  /** A standby stream found to need transcoding (the camera's codec was learned from the stream) is let go. */
  private checkStandby(id: string, st: StreamStatus): void {
    const release = this.standbys.get(id);
    if (!release || !st.transcoding) return;
    this.standbys.delete(id);
    this.o.log.warn({ camera: id, codec: st.codec }, `camera ${id} sends ${st.codec ?? 'a non-H.264 codec'}: not kept on standby (transcoding costs a core's worth of CPU)`);
    queueMicrotask(release); // not from inside the stream's own status callback
  }

  get snapshotDir(): string {
    return path.join(this.o.dataDir, 'video', 'snapshots');
  }
  get clipDir(): string {
    return path.join(this.o.dataDir, 'video', 'clips');
  }

  /** Serves /video/<id> upgrades on the hub's HTTP server; other paths (Socket.IO) are left alone. */
  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  stream(id: string): CameraStream | undefined {
    if (!this.o.cameras.get(id)) return undefined;
    let s = this.streams.get(id);
    if (!s) {
      s = new CameraStream({
        cameraId: id,
        url: () => this.o.cameras.get(id)?.streamUri,
        credentials: () => this.o.cameras.get(id)?.credentials,
        transport: () => this.o.cameras.get(id)?.transport,
        mayTranscode: () => {
          const busy = this.transcodingCameras().filter((c) => c !== id);
          return busy.length >= this.limits.maxTranscodes ? `camera ${id}: the transcoding budget of ${this.limits.maxTranscodes} stream(s) (video.maxTranscodes) is in use by ${busy.join(', ')}` : undefined;
        },
        codecHint: () => this.o.cameras.get(id)?.codec,
        graceMs: this.o.graceMs ?? 10_000,
        bufferSeconds: this.o.bufferSeconds ?? 15,
        backoff: this.o.backoff,
        log: this.o.log,
        counters: this.counters,
        ffmpegPath: this.o.ffmpegPath,
        onStatus: (st) => {
          this.checkStandby(id, st);
          this.o.onStatus?.(id, st);
        },
      });
      this.streams.set(id, s);
    }
    return s;
  }

  status(id: string): StreamStatus | undefined {
    return this.streams.get(id)?.getStatus();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = url.pathname.match(VIDEO_PATH);
    if (!m) return; // not ours
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, message: string) => {
      const body = JSON.stringify({ error: { code: status === 404 ? 'not_found' : status === 403 ? 'forbidden' : 'unauthorized', message } });
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : 'Unauthorized'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    let verdict;
    try {
      verdict = await this.o.authorize(req);
    } catch (err) {
      this.o.log.error({ err }, 'video viewer authorization failed');
      return refuse(401, 'authorization failed');
    }
    if (!verdict.ok) return refuse(verdict.status, verdict.message);
    // Masked or plain is chosen here from the session's role (masked.ts), never from the request.
    const masked = !!this.o.masking?.masked(m[1], verdict.role);
    const stream = masked ? this.o.masking!.stream(m[1]) : this.stream(m[1]);
    if (!stream) return refuse(404, `no camera ${m[1]}`);
    const refusal = this.admission(m[1], verdict.role);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (refusal) return this.refuseViewer(ws, refusal);
      this.serve(ws, stream);
      this.o.masking?.opened(ws, { camera: m[1], user: verdict.user, role: verdict.role, masked });
    });
  }

  /**
   * A browser cannot read the body of a refused WebSocket handshake, so a viewer over the limit is
   * accepted, told why in a status message (code + message naming the camera and the limit), and closed.
   */
  private refuseViewer(ws: WebSocket, err: DomainError): void {
    ws.send(JSON.stringify({ status: 'refused', code: err.code, detail: err.message }));
    ws.close(err.kind === 'limited' ? 4429 : 4503, err.code);
  }

  private serve(ws: WebSocket, stream: CameraStream): void {
    const remove = stream.add({
      sendInit: (d) => ws.readyState === ws.OPEN && ws.send(d, { binary: true }),
      sendFragment: (d) => ws.readyState === ws.OPEN && ws.send(d, { binary: true }),
      sendStatus: (s) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(s)),
      backlog: () => ws.bufferedAmount,
    });
    ws.on('close', remove);
    ws.on('error', remove);
    ws.send(JSON.stringify({ status: 'hello', stream: stream.getStatus() }));
  }

  /** A JPEG of the camera now, stored under <dataDir>/video/snapshots/. */
  async snapshot(id: string, reason = 'manual'): Promise<{ file: string; path: string; bytes: number; at: number }> {
    const cam = this.o.cameras.get(id);
    if (!cam) throw Object.assign(new Error(`no camera ${id}`), { code: 'not_found' });
    const live = this.streams.get(id)?.latestKeyframe();
    let jpeg: Buffer;
    if (live) jpeg = await snapshotFromFragments(live);
    else if (cam.snapshotUri) jpeg = await fetchSnapshot(cam.snapshotUri, cam.credentials).catch(async (err: Error) => {
      if (!cam.streamUri) throw err;
      return snapshotFromRtsp(cam.streamUri, cam.transport, 10_000, this.o.ffmpegPath, cam.credentials);
    });
    else if (cam.streamUri) jpeg = await snapshotFromRtsp(cam.streamUri, cam.transport, 10_000, this.o.ffmpegPath, cam.credentials);
    else throw Object.assign(new Error(`camera ${id} has no stream URI yet (offline or connecting)`), { code: 'offline' });
    const at = Date.now();
    await mkdir(this.snapshotDir, { recursive: true });
    const file = `${id}-${stamp(at)}-${reason.replace(/[^a-z0-9-]/gi, '_')}.jpg`;
    const full = path.join(this.snapshotDir, file);
    await writeFile(full, jpeg);
    return { file, path: full, bytes: jpeg.length, at };
  }

  /**
   * Records `preSeconds` before now (from the rolling buffer, if the stream was live) and
   * `postSeconds` after, into an MP4 under <dataDir>/video/clips/.
   */
  async clip(id: string, opts: { preSeconds: number; postSeconds: number; reason?: string }): Promise<{ file: string; path: string; bytes: number; at: number }> {
    const stream = this.stream(id);
    if (!stream) throw Object.assign(new Error(`no camera ${id}`), { code: 'not_found' });
    const at = Date.now();
    // An internal viewer keeps ffmpeg running (and the buffer filling) for the post-alarm seconds.
    const release = stream.add(idleViewer());
    try {
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await sleep(opts.postSeconds * 1000);
      if (!stream.recording(at - opts.preSeconds * 1000)) {
        // The stream was not running at the alarm: give it time to start, then record the post seconds.
        const deadline = Date.now() + 20_000;
        while (stream.getStatus().state !== 'live' && Date.now() < deadline) await sleep(100);
        await sleep(Math.max(opts.postSeconds, 1) * 1000);
      }
      const mp4 = stream.recording(at - opts.preSeconds * 1000);
      if (!mp4) throw Object.assign(new Error(`camera ${id} delivered no video for the clip (${stream.getStatus().detail ?? stream.getStatus().state})`), { code: 'offline' });
      await mkdir(this.clipDir, { recursive: true });
      const file = `${id}-${stamp(at)}-${(opts.reason ?? 'clip').replace(/[^a-z0-9-]/gi, '_')}.mp4`;
      const full = path.join(this.clipDir, file);
      await writeFile(full, mp4);
      return { file, path: full, bytes: mp4.length, at };
    } finally {
      release();
    }
  }

  async files(kind: 'snapshots' | 'clips', id: string): Promise<string[]> {
    const dir = kind === 'snapshots' ? this.snapshotDir : this.clipDir;
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith(`${id}-`)).sort().reverse();
  }

  async close(): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    this.standbys.clear();
    for (const c of this.wss.clients) c.terminate();
    await Promise.all([...this.streams.values()].map((s) => s.close()));
    this.streams.clear();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '-');
}
