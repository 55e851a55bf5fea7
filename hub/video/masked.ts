// Privacy masks on live video (config/recording.yaml: a camera's `masks`, drawn for the roles in its
// `maskLiveForRoles`). A viewer whose session role is listed gets only the masked stream of that
// camera: a second ffmpeg per camera that reads the camera and re-encodes with the export's mask
// filter burnt in (hub/recording/ffmpeg-args.ts maskFilter), shared by every masked viewer of the
// camera, started on the first and stopped a grace period after the last. The plain stream stays
// `-c copy`, and a masked viewer never falls back to it (refused, or "reconnecting", instead).
// The gateway asks here with the role of the authenticated session (gateway.ts upgrade), never
// with anything the client sent. Snapshots for those roles are masked the same way (routes.ts).
import type { WebSocket } from 'ws';
import type { DomainError } from '../errors.js';
import type { AuditLogLike } from '../ports.js';
import type { PrivacyMask, RecordingFile } from '../recording/config.js';
import { maskFilter } from '../recording/ffmpeg-args.js';
import { filterJpeg, type RtspCredentials } from './ffmpeg.js';
import { admitViewer, type VideoLimits } from './limits.js';
import { CameraStream } from './stream.js';

/** The live masks of one camera: which rectangles, for which roles. */
export interface LiveMaskRule { masks: readonly PrivacyMask[]; roles: readonly string[] }

/** camera → rule, for the cameras recording.yaml masks live for some roles (pure). */
export function liveMaskRules(file: RecordingFile | undefined): Map<string, LiveMaskRule> {
  const out = new Map<string, LiveMaskRule>();
  // Roles listed but no rectangle: there is nothing to hide (the config check says so).
  for (const [id, c] of Object.entries(file?.cameras ?? {})) if (c.maskLiveForRoles.length && c.masks.length) out.set(id, { masks: c.masks, roles: c.maskLiveForRoles });
  return out;
}

/** How a masked stream appears in the transcoding budget's list of busy streams. */
export const maskedLabel = (camera: string) => `${camera} (masked)`;

export interface LiveMaskingOptions {
  /** Where the masked ffmpeg reads the camera (the same directory as the gateway's). */
  cameras: { get(id: string): { streamUri?: string; credentials?: RtspCredentials; transport?: 'tcp' | 'udp' } | undefined };
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  audit?: AuditLogLike;
  /** The streams re-encoding now (the gateway's list, masked ones included) and the budget (video.maxTranscodes). */
  budget(): { busy: string[]; max: number };
  graceMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  ffmpegPath?: string;
}

/** Who opened a live view, and which stream the hub chose for them. */
export interface LiveViewer { camera: string; user: string; role?: string; masked: boolean }

const sameRule = (a?: LiveMaskRule, b?: LiveMaskRule) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class LiveMasking {
  readonly counters = { spawned: 0, running: 0 };
  private rules = new Map<string, LiveMaskRule>();
  private readonly streams = new Map<string, CameraStream>();
  private readonly open = new Set<LiveViewer & { ws: WebSocket }>();

  constructor(private readonly o: LiveMaskingOptions) {}

  /**
   * Applies recording.yaml (start and every reload). A camera whose masks or roles changed loses its
   * masked stream (restarted with the new filter), and its viewers whose choice is no longer right
   * (or who watch the old masks) are told and closed: the console reconnects and is chosen again.
   */
  setRules(next: Map<string, LiveMaskRule>): void {
    const before = this.rules;
    this.rules = next;
    for (const id of new Set([...before.keys(), ...next.keys()])) {
      if (sameRule(before.get(id), next.get(id))) continue;
      const s = this.streams.get(id);
      this.streams.delete(id);
      void s?.close();
      for (const v of this.open) if (v.camera === id && (v.masked || this.masked(id, v.role))) this.cut(v, `the privacy masks of camera ${id} changed`);
    }
  }

  /** Must this role see camera `id` masked? An unknown role is masked wherever any role is. */
  masked(id: string, role: string | undefined): boolean {
    const rule = this.rules.get(id);
    return !!rule && (role === undefined || rule.roles.includes(role));
  }

  /** The masked stream of `id` (created, not started: its first viewer starts it). */
  stream(id: string): CameraStream | undefined {
    const rule = this.rules.get(id);
    if (!rule || !this.o.cameras.get(id)) return undefined;
    let s = this.streams.get(id);
    if (!s) {
      const filter = maskFilter(rule.masks);
      s = new CameraStream({
        cameraId: id,
        url: () => this.o.cameras.get(id)?.streamUri,
        credentials: () => this.o.cameras.get(id)?.credentials,
        transport: () => this.o.cameras.get(id)?.transport,
        codecHint: () => undefined, // re-encoded whatever the camera sends
        filter,
        mayTranscode: () => this.overBudget(id),
        graceMs: this.o.graceMs ?? 10_000,
        bufferSeconds: 3, // the GOP cache for fast start (a keyframe a second); no clips from here
        backoff: this.o.backoff,
        log: this.o.log,
        counters: this.counters,
        ffmpegPath: this.o.ffmpegPath,
      });
      this.streams.set(id, s);
    }
    return s;
  }

  private overBudget(id: string): string | undefined {
    const { busy, max } = this.o.budget();
    const others = busy.filter((c) => c !== maskedLabel(id));
    return others.length >= max ? `camera ${id}: its privacy masks need a re-encode, and the transcoding budget of ${max} stream(s) (video.maxTranscodes) is in use by ${others.join(', ')}` : undefined;
  }

  /** Viewers of the masked stream of `id`. */
  viewers(id: string): number {
    return this.streams.get(id)?.viewerCount() ?? 0;
  }

  /** Masked streams re-encoding now, as the transcoding budget lists them. */
  transcoding(): string[] {
    return [...this.streams.entries()].filter(([, s]) => s.transcoding).map(([id]) => maskedLabel(id));
  }

  /** Why one more masked viewer of `id` would be refused: the camera's viewer limit (plain + masked), the transcoding budget. */
  admission(id: string, o: { plainViewers: number; transcoding: string[]; limits: VideoLimits }): DomainError | undefined {
    const s = this.streams.get(id);
    return admitViewer({ camera: maskedLabel(id), viewers: o.plainViewers + this.viewers(id), running: !!s?.running, needsTranscode: true, transcoding: o.transcoding, limits: o.limits });
  }

  /** A live view the gateway opened: audited, and kept so a change of the masks can close it. */
  opened(ws: WebSocket, v: LiveViewer): void {
    const entry = { ...v, ws };
    this.open.add(entry);
    ws.once('close', () => this.open.delete(entry));
    this.o.audit?.record({ user: v.user, action: 'camera.live', target: v.camera, details: { role: v.role, masked: v.masked } });
    if (this.masked(v.camera, v.role) !== v.masked) this.cut(entry, `the privacy masks of camera ${v.camera} changed`);
  }

  private cut(v: LiveViewer & { ws: WebSocket }, why: string): void {
    this.open.delete(v);
    if (v.ws.readyState !== v.ws.OPEN) return;
    v.ws.send(JSON.stringify({ status: 'reconnecting', detail: why }));
    v.ws.close(1012, 'privacy masks changed'); // 1012 "service restart": the player reconnects
  }

  /** The JPEG as a viewer of this role may see it: masked where the role is masked, else as is. */
  async snapshotFor(id: string, role: string | undefined, jpeg: Buffer): Promise<{ jpeg: Buffer; masked: boolean }> {
    const rule = this.rules.get(id);
    if (!rule || !this.masked(id, role)) return { jpeg, masked: false };
    return { jpeg: await filterJpeg(jpeg, maskFilter(rule.masks)!, 10_000, this.o.ffmpegPath), masked: true };
  }

  async close(): Promise<void> {
    for (const v of this.open) v.ws.terminate();
    this.open.clear();
    await Promise.all([...this.streams.values()].map((s) => s.close()));
    this.streams.clear();
  }
}
