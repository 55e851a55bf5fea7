// EVERY use of fluent-ffmpeg lives in this module (upstream archived it in 2025: one place to
// replace). It drives Debian's ffmpeg: RTSP → fragmented MP4 remux (or H.265 → H.264 transcode)
// and JPEG snapshots.
import ffmpeg from 'fluent-ffmpeg';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';

export const FFMPEG_PATH = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

export function ffmpegMissing(path = FFMPEG_PATH): string | undefined {
  return existsSync(path) ? undefined : `ffmpeg not found at ${path} (install Debian's ffmpeg or set FFMPEG_PATH)`;
}

/** RTSP user and password: ffmpeg answers Basic and Digest challenges with them. */
export interface RtspCredentials { username: string; password: string }

/**
 * The URL ffmpeg is given: credentials percent-encoded into the userinfo (ffmpeg decodes them and
 * answers Basic or Digest, whichever the camera asks). Never log its result: log redact()ed text.
 */
export function withCredentials(url: string, c: RtspCredentials | undefined): string {
  if (!c) return url;
  const u = new URL(url);
  // The WHATWG setters percent-encode ':' '@' '/' and the rest of the userinfo set.
  u.username = c.username;
  u.password = c.password;
  return u.href;
}

/** Text with any URL userinfo and the password itself (raw or encoded) replaced by ***. */
export function redact(text: string, c?: RtspCredentials): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1***@');
  if (c?.password && c.password.length >= 3) {
    for (const form of new Set([c.password, encodeURIComponent(c.password)])) out = out.split(form).join('***');
  }
  return out;
}

export interface RemuxOptions {
  url: string;
  credentials?: RtspCredentials;
  transport: 'tcp' | 'udp';
  /** Re-encode to H.264 (only when the camera's codec cannot play in the browser). */
  transcode: boolean;
  /** Target fragment duration (µs); fragments also cut at every keyframe. */
  fragDurationUs?: number;
  ffmpegPath?: string;
  /** A filter graph from `[0:v]` to `[out]` burnt in (privacy masks, masked.ts): always re-encodes. */
  filter?: string;
}

export interface RemuxEvents {
  onData(chunk: Buffer): void;
  /** The input video codec ffmpeg found, e.g. `h264 (Constrained Baseline)` or `hevc (Main)`. */
  onCodec(video: string): void;
  /** ffmpeg ended (camera gone, killed, crashed). */
  onExit(reason: string): void;
}

export interface RemuxProcess {
  kill(): void;
}

/** Input/output options of the live remux (pure, for tests). */
export function remuxArgs(o: RemuxOptions): { input: string[]; output: string[] } {
  return {
    input: [
      '-rtsp_transport', o.transport,
      '-timeout', '5000000', // socket I/O timeout (µs): a silent camera ends ffmpeg instead of hanging
      '-fflags', 'nobuffer',
      '-flags', 'low_delay',
      '-probesize', '200000',
      '-analyzeduration', '1000000',
    ],
    output: [
      '-an',
      // A filter means re-encoding, whatever `transcode` says: masks are never dropped for a copy.
      ...(o.filter ? ['-filter_complex', o.filter, '-map', '[out]'] : []),
      ...(o.transcode || o.filter
        ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-force_key_frames', 'expr:gte(t,n_forced*1)']
        : ['-c:v', 'copy']),
      '-f', 'mp4',
      '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
      '-frag_duration', String(o.fragDurationUs ?? 100_000),
      '-flush_packets', '1',
    ],
  };
}

export function startRemux(o: RemuxOptions, ev: RemuxEvents): RemuxProcess {
  const { input, output } = remuxArgs(o);
  const cmd = ffmpeg(withCredentials(o.url, o.credentials)).setFfmpegPath(o.ffmpegPath ?? FFMPEG_PATH).inputOptions(input).outputOptions(output);
  let done = false;
  const finish = (reason: string) => {
    if (done) return;
    done = true;
    ev.onExit(reason);
  };
  cmd.on('codecData', (data: { video?: string }) => data.video && ev.onCodec(data.video));
  cmd.on('error', (err: Error, _out: string | null, stderr: string | null) => {
    const tail = (stderr ?? '').trim().split('\n').slice(-2).join(' | ');
    // ffmpeg quotes the input URL in its errors: the reason reaches logs and the API redacted.
    finish(redact(`${err.message}${tail ? ` — ${tail}` : ''}`, o.credentials));
  });
  cmd.on('end', () => finish('stream ended'));
  const out = new PassThrough();
  out.on('data', (d: Buffer) => !done && ev.onData(d));
  cmd.pipe(out, { end: true });
  return {
    kill() {
      done = true;
      try {
        cmd.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

function collectJpeg(cmd: ffmpeg.FfmpegCommand, timeoutMs: number, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (d: Buffer) => parts.push(d));
    const timer = setTimeout(() => {
      cmd.kill('SIGKILL');
      reject(new Error(`snapshot of ${what} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    cmd.on('error', (err: Error) => {
      clearTimeout(timer);
      reject(new Error(`snapshot of ${what} failed: ${err.message}`));
    });
    cmd.on('end', () => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(parts);
      if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) reject(new Error(`snapshot of ${what} produced no JPEG`));
      else resolve(jpeg);
    });
    cmd.pipe(out, { end: true });
  });
}

const JPEG_OUT = ['-frames:v', '1', '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg'];

/** One JPEG frame grabbed from the camera's RTSP stream. */
export function snapshotFromRtsp(url: string, transport: 'tcp' | 'udp' = 'tcp', timeoutMs = 10_000, ffmpegPath = FFMPEG_PATH, credentials?: RtspCredentials): Promise<Buffer> {
  const cmd = ffmpeg(withCredentials(url, credentials)).setFfmpegPath(ffmpegPath).inputOptions(['-rtsp_transport', transport, '-timeout', '5000000']).outputOptions(JPEG_OUT);
  return collectJpeg(cmd, timeoutMs, redact(url, credentials)).catch((err: Error) => {
    throw new Error(redact(err.message, credentials));
  });
}

/** A JPEG through a filter graph from `[0:v]` to `[out]` (privacy masks on a snapshot): a JPEG again. */
export function filterJpeg(jpeg: Buffer, filter: string, timeoutMs = 10_000, ffmpegPath = FFMPEG_PATH): Promise<Buffer> {
  const input = new PassThrough();
  input.end(jpeg);
  const cmd = ffmpeg(input).setFfmpegPath(ffmpegPath).inputFormat('jpeg_pipe').outputOptions(['-filter_complex', filter, '-map', '[out]', ...JPEG_OUT]);
  return collectJpeg(cmd, timeoutMs, 'a masked snapshot');
}

/** One JPEG decoded from buffered fMP4 (init segment + a keyframe fragment): instant while a stream is live. */
export function snapshotFromFragments(mp4: Buffer, timeoutMs = 10_000, ffmpegPath = FFMPEG_PATH): Promise<Buffer> {
  const input = new PassThrough();
  input.end(mp4);
  const cmd = ffmpeg(input).setFfmpegPath(ffmpegPath).inputFormat('mp4').outputOptions(JPEG_OUT);
  return collectJpeg(cmd, timeoutMs, 'the live stream');
}
