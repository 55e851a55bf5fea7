// Playback and export assembly: the segments of a camera overlapping [from, to) concatenated by
// ffmpeg (`-c copy`, or re-encoded with privacy masks on export) into one MP4 file with its index
// in front, which the HTTP layer serves with range requests. A playback map says which wall-clock
// time each stretch of media shows (gaps are cut out, not padded).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlaybackPiece, SegmentInfo } from '../../contracts/recording.js';
import { NotFoundError } from '../errors.js';
import type { PrivacyMask } from './config.js';
import { assembleArgs, concatList, exportArgs, FFMPEG } from './ffmpeg-args.js';
import type { RecordingIndex } from './index-db.js';
import { playbackPieces } from './segments.js';

export interface Assembled {
  file: string;
  pieces: PlaybackPiece[];
  /** Wall clock of the first frame. */
  start: number;
  end: number;
}

export function runFfmpeg(args: string[], timeoutMs = 300_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
    });
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    p.on('close', (code) => {
      clearTimeout(t);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`));
    });
  });
}

export interface AssembleInput {
  index: RecordingIndex;
  cameraDir: string;
  camera: string;
  from: number;
  to: number;
  out: string;
  masks?: readonly PrivacyMask[];
  /** Re-encode even without masks (never for playback). */
  export?: boolean;
}

/**
 * The segments overlapping [from, to). The media starts at the first segment's start (a keyframe:
 * `-c copy` cannot cut elsewhere), so it may begin up to one segment early; the playback map says
 * so and the player seeks in. The tail is cut at `to`.
 */
export function planAssembly(segments: readonly SegmentInfo[], from: number, to: number): { segments: SegmentInfo[]; skip: number; duration: number } {
  const segs = segments.filter((s) => s.end > from && s.start < to).sort((a, b) => a.start - b.start);
  if (segs.length === 0) return { segments: [], skip: 0, duration: 0 };
  const total = segs.reduce((n, s) => n + (s.end - s.start) / 1000, 0);
  const tail = Math.max(0, (segs.at(-1)!.end - to) / 1000);
  return { segments: segs, skip: 0, duration: Math.max(0.1, total - tail) };
}

export async function assemble(i: AssembleInput): Promise<Assembled> {
  const plan = planAssembly(i.index.segments(i.camera, i.from, i.to), i.from, i.to);
  if (plan.segments.length === 0) throw new NotFoundError('no_recording', `camera ${i.camera} has no recording between ${new Date(i.from).toISOString()} and ${new Date(i.to).toISOString()}`, { camera: i.camera, from: i.from, to: i.to });
  const list = concatList(plan.segments.map((s) => path.join(i.cameraDir, s.file)));
  fs.mkdirSync(path.dirname(i.out), { recursive: true });
  const tmp = `${i.out}.part.mp4`;
  const listFile = `${i.out}.txt`;
  fs.writeFileSync(listFile, list);
  const args = i.export || (i.masks && i.masks.length) ? exportArgs(listFile, tmp, plan.skip, plan.duration, i.masks ?? []) : assembleArgs(listFile, tmp, plan.skip, plan.duration);
  try {
    await runFfmpeg(args);
    fs.renameSync(tmp, i.out);
  } finally {
    fs.rmSync(listFile, { force: true });
    fs.rmSync(tmp, { force: true });
  }
  const pieces = playbackPieces(plan.segments, plan.skip);
  return { file: i.out, pieces, start: pieces[0].wall, end: Math.min(i.to, plan.segments.at(-1)!.end) };
}

/**
 * Playback files are cached by (camera, from, to) for a few minutes: a scrubbing operator asks for
 * the same window again, and a range request must hit the same bytes as the first response.
 */
export class PlaybackCache {
  private readonly entries = new Map<string, { at: number; result: Promise<Assembled> }>();
  constructor(private readonly dir: string, private readonly ttlMs = 5 * 60_000) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }

  get(key: { camera: string; from: number; to: number }, make: (out: string) => Promise<Assembled>): Promise<Assembled> {
    this.sweep();
    const id = createHash('sha1').update(`${key.camera}|${key.from}|${key.to}`).digest('hex').slice(0, 16);
    const hit = this.entries.get(id);
    if (hit) return hit.result;
    const result = make(path.join(this.dir, `${id}.mp4`));
    this.entries.set(id, { at: Date.now(), result });
    result.catch(() => this.entries.delete(id));
    return result;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, e] of this.entries) {
      if (now - e.at < this.ttlMs) continue;
      this.entries.delete(id);
      fs.rmSync(path.join(this.dir, `${id}.mp4`), { force: true });
    }
  }
}

/** Parses a single `Range: bytes=a-b` header against a size; undefined = whole file, null = unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | null {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}
