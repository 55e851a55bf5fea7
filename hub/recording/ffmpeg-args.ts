// The ffmpeg command lines of the recording path, pure (for tests): record (RTSP → fMP4 segments,
// `-c copy`), assemble a playback range, and export with privacy masks.
import type { PrivacyMask } from './config.js';
import { SEGMENT_PATTERN } from './segments.js';

export const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
export const FFPROBE = process.env.FFPROBE_PATH ?? '/usr/bin/ffprobe';

/** The RTSP URL with credentials in its userinfo, percent-encoded (ffmpeg decodes them). */
export function withUserinfo(url: string, credentials?: { username: string; password: string }): string {
  if (!credentials) return url;
  try {
    const u = new URL(url);
    u.username = encodeURIComponent(credentials.username);
    u.password = encodeURIComponent(credentials.password);
    return u.toString();
  } catch {
    return url;
  }
}

/** Hides any userinfo in text (ffmpeg error lines quote the input URL). */
export function redactUserinfo(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}

/**
 * Record one camera: remux without re-encoding into fragmented-MP4 segments named by the wall
 * clock they open at (ffmpeg runs with TZ=UTC), each listed on stdout as `file,start,end` when it
 * closes. `flush_packets=1` puts every packet on disk as it arrives, and `frag_keyframe` makes each
 * GOP a self-contained fragment: a kill -9 loses only the fragment being written.
 */
export function recordArgs(url: string, segmentSeconds: number): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...(url.startsWith('rtsp') ? ['-rtsp_transport', 'tcp', '-timeout', '5000000'] : ['-re']),
    '-i', url,
    '-map', '0:v:0', '-an', '-c:v', 'copy',
    '-f', 'segment',
    '-segment_time', String(segmentSeconds),
    '-segment_format', 'mp4',
    '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1',
    '-reset_timestamps', '1',
    '-strftime', '1',
    '-segment_list', 'pipe:1', '-segment_list_type', 'csv',
    SEGMENT_PATTERN,
  ];
}

/**
 * Concatenate segment files (concat demuxer list file) into one MP4 with the index in front
 * (`+faststart`), so the browser can range-request and seek it. `skip` seconds into the first
 * segment (lands on the keyframe before it).
 */
export function assembleArgs(list: string, out: string, skipSeconds: number, durationSeconds: number): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...(skipSeconds > 0 ? ['-ss', skipSeconds.toFixed(3)] : []),
    '-f', 'concat', '-safe', '0', '-i', list,
    '-t', durationSeconds.toFixed(3),
    '-c', 'copy', '-movflags', '+faststart', '-y', out,
  ];
}

/**
 * Privacy masks as ffmpeg filters: each rectangle blurred in place (export and the masked live
 * stream, hub/video/masked.ts, re-encode then). The blur radius is 20 px but at most half the
 * rectangle (luma) and half its chroma planes: boxblur refuses a radius larger than that, which
 * made a small mask (under ~80 px, e.g. any mask on a 320×240 camera) fail the whole ffmpeg.
 * A rectangle running off the picture is cut at its edge.
 */
export function maskFilter(masks: readonly PrivacyMask[]): string | undefined {
  if (masks.length === 0) return undefined;
  const parts: string[] = [];
  let last = '0:v';
  const blur = "boxblur=luma_radius='min(20,min(w,h)/2)':luma_power=2:chroma_radius='min(10,min(cw,ch)/2)':chroma_power=2";
  masks.forEach((m, i) => {
    const w = Math.min(m.w, 1 - m.x);
    const h = Math.min(m.h, 1 - m.y);
    if (w <= 0 || h <= 0) return;
    const crop = `crop=w=iw*${w}:h=ih*${h}:x=iw*${m.x}:y=ih*${m.y}`;
    parts.push(`[${last}]split[b${i}][m${i}]`, `[m${i}]${crop},${blur}[k${i}]`, `[b${i}][k${i}]overlay=x=W*${m.x}:y=H*${m.y}[o${i}]`);
    last = `o${i}`;
  });
  parts.push(`[${last}]null[out]`);
  return parts.join(';');
}

export function exportArgs(list: string, out: string, skipSeconds: number, durationSeconds: number, masks: readonly PrivacyMask[]): string[] {
  const filter = maskFilter(masks);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...(skipSeconds > 0 ? ['-ss', skipSeconds.toFixed(3)] : []),
    '-f', 'concat', '-safe', '0', '-i', list,
    '-t', durationSeconds.toFixed(3),
    ...(filter ? ['-filter_complex', filter, '-map', '[out]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'] : ['-c', 'copy']),
    '-movflags', '+faststart', '-y', out,
  ];
}

/** The concat demuxer list for segment files (paths quoted the way the demuxer wants). */
export function concatList(files: readonly string[]): string {
  return files.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join('\n') + '\n';
}
