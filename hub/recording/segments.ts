// Segment index maths, pure: segment file names ↔ wall-clock time, the clock anchor of a running
// recorder, which segments cover a range, recorded spans and gaps, and what retention prunes.
import type { GapInfo, GapReason, PlaybackPiece, SegmentInfo } from '../../contracts/recording.js';

/** ffmpeg's `-strftime 1` pattern (run with TZ=UTC): the name carries the wall clock the segment opened at. */
export const SEGMENT_PATTERN = '%Y%m%dT%H%M%SZ.mp4';
const NAME_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.mp4$/;

/** Epoch ms of a segment file name, or undefined when the name is not one of ours. */
export function segmentNameTime(name: string): number | undefined {
  const m = NAME_RE.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isFinite(t) ? t : undefined;
}

export function segmentName(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z.mp4`;
}

/** One line of ffmpeg's segment list (`-segment_list_type csv`): `file,start,end` in stream seconds. */
export function parseSegmentListLine(line: string): { file: string; start: number; end: number } | undefined {
  const parts = line.trim().split(',');
  if (parts.length < 3) return undefined;
  const end = Number(parts.at(-1));
  const start = Number(parts.at(-2));
  const file = parts.slice(0, -2).join(',');
  if (!file || !Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  return { file, start, end };
}

/**
 * Maps a recorder's stream clock to the wall clock. The first finished segment fixes the anchor
 * (it ended "now"); later segments follow on the stream clock so they stay contiguous, unless the
 * two clocks drift apart by more than `maxDriftMs` (a camera with a bad clock): then re-anchor.
 */
export class StreamClock {
  private anchor: number | undefined;
  constructor(private readonly maxDriftMs = 2000) {}

  place(seg: { start: number; end: number }, now: number): { start: number; end: number } {
    if (this.anchor === undefined || Math.abs(this.anchor + seg.end * 1000 - now) > this.maxDriftMs) this.anchor = now - seg.end * 1000;
    return { start: Math.round(this.anchor + seg.start * 1000), end: Math.round(this.anchor + seg.end * 1000) };
  }
}

/** Segments overlapping [from, to), oldest first. */
export function segmentsInRange<T extends Pick<SegmentInfo, 'start' | 'end'>>(segments: readonly T[], from: number, to: number): T[] {
  return segments.filter((s) => s.end > from && s.start < to).sort((a, b) => a.start - b.start);
}

/** Adjacent segments (less than `joinMs` apart) merged into recorded spans, clipped to [from, to). */
export function recordedSpans(segments: readonly Pick<SegmentInfo, 'start' | 'end'>[], from: number, to: number, joinMs = 1500): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  for (const s of segmentsInRange(segments, from, to)) {
    const a = Math.max(s.start, from);
    const b = Math.min(s.end, to);
    const last = out.at(-1);
    if (last && a - last.to <= joinMs) last.to = Math.max(last.to, b);
    else out.push({ from: a, to: b });
  }
  return out;
}

/**
 * Gaps in [from, to): recorded gaps (with their reason) where they overlap, plus any hole between
 * spans that no recorded gap explains (`recorder_stopped`). Holes under `joinMs` are not gaps.
 */
export function gapsIn(camera: string, spans: ReadonlyArray<{ from: number; to: number }>, recorded: readonly GapInfo[], from: number, to: number, joinMs = 1500): GapInfo[] {
  const holes: Array<{ from: number; to: number }> = [];
  let cursor = from;
  for (const s of spans) {
    if (s.from - cursor > joinMs) holes.push({ from: cursor, to: s.from });
    cursor = Math.max(cursor, s.to);
  }
  if (to - cursor > joinMs) holes.push({ from: cursor, to });
  return holes.map((h) => {
    const why = recorded.find((g) => g.camera === camera && g.from < h.to && g.to > h.from);
    return { camera, from: h.from, to: h.to, reason: (why?.reason ?? 'recorder_stopped') as GapReason };
  });
}

/**
 * The playback map of segments concatenated into one file: media second → wall clock per piece.
 * With `-ss` the media starts `skip` seconds into the first segment.
 */
export function playbackPieces(segments: readonly Pick<SegmentInfo, 'start' | 'end'>[], skipSeconds = 0): PlaybackPiece[] {
  const out: PlaybackPiece[] = [];
  let media = 0;
  segments.forEach((s, i) => {
    const skip = i === 0 ? Math.min(skipSeconds, (s.end - s.start) / 1000) : 0;
    const duration = (s.end - s.start) / 1000 - skip;
    out.push({ media: +media.toFixed(3), wall: s.start + skip * 1000, duration: +duration.toFixed(3) });
    media += duration;
  });
  return out;
}

/** Wall clock of a media time through the playback map (the console does the same). */
export function wallAt(pieces: readonly PlaybackPiece[], media: number): number | undefined {
  const p = pieces.find((x) => media >= x.media && media < x.media + x.duration) ?? (pieces.length && media >= pieces.at(-1)!.media ? pieces.at(-1) : undefined);
  return p ? p.wall + (media - p.media) * 1000 : undefined;
}

export interface RetentionInput {
  segments: ReadonlyArray<Pick<SegmentInfo, 'camera' | 'file' | 'start' | 'end' | 'bytes'>>;
  /** Ranges kept as evidence (incidents, exports): overlapping segments are never pruned. */
  evidence: ReadonlyArray<{ camera?: string; from: number; to: number }>;
  now: number;
  retentionDays: number;
  quotaBytes: number;
}

export interface RetentionPlan<T> {
  prune: T[];
  /** Bytes left after pruning. */
  bytesAfter: number;
  /** Still over quota with nothing prunable: recording must pause (disk_full), never live video. */
  overQuota: boolean;
}

export function isEvidence(s: Pick<SegmentInfo, 'camera' | 'start' | 'end'>, evidence: RetentionInput['evidence']): boolean {
  return evidence.some((e) => (e.camera === undefined || e.camera === s.camera) && s.end > e.from && s.start < e.to);
}

/** Oldest first across the whole store: everything past the retention days, then more until under quota. */
export function retentionPlan<T extends RetentionInput['segments'][number]>(input: Omit<RetentionInput, 'segments'> & { segments: readonly T[] }): RetentionPlan<T> {
  const cutoff = input.now - input.retentionDays * 86_400_000;
  let bytes = input.segments.reduce((n, s) => n + s.bytes, 0);
  const prune: T[] = [];
  const sorted = [...input.segments].sort((a, b) => a.start - b.start || a.camera.localeCompare(b.camera));
  for (const s of sorted) {
    if (isEvidence(s, input.evidence)) continue;
    if (s.end < cutoff || bytes > input.quotaBytes) {
      prune.push(s);
      bytes -= s.bytes;
    }
  }
  return { prune, bytesAfter: bytes, overQuota: bytes > input.quotaBytes };
}
