// Restart safety: segment files on disk that the index lacks (ffmpeg was killed with the hub, or
// died with the camera before listing its open segment) are probed; what plays is indexed (its
// name gives the wall clock it opened at, ffprobe its length), what does not is deleted.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { HubLogger } from '../module.js';
import { FFPROBE } from './ffmpeg-args.js';
import type { RecordingIndex } from './index-db.js';
import { segmentNameTime } from './segments.js';

const run = promisify(execFile);

/** Seconds of playable video in a (possibly truncated) fMP4 file; 0 when none. */
export async function probeDuration(file: string, ffprobe = FFPROBE): Promise<number> {
  try {
    const { stdout } = await run(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { timeout: 10_000 });
    const d = Number(stdout.trim());
    return Number.isFinite(d) && d > 0 ? d : 0;
  } catch {
    return 0;
  }
}

export async function recoverCameraDir(camera: string, dir: string, index: RecordingIndex, log: HubLogger): Promise<{ indexed: number; discarded: number }> {
  let indexed = 0;
  let discarded = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { indexed, discarded };
  }
  for (const name of names.sort()) {
    const start = segmentNameTime(name);
    if (start === undefined || index.hasSegment(camera, name)) continue;
    const file = path.join(dir, name);
    const seconds = await probeDuration(file);
    if (index.hasSegment(camera, name)) continue; // listed by ffmpeg while we probed
    if (seconds <= 0) {
      fs.rmSync(file, { force: true });
      discarded++;
      continue;
    }
    const bytes = fs.statSync(file).size;
    index.addSegment({ camera, file: name, start, end: start + Math.round(seconds * 1000), bytes });
    indexed++;
  }
  if (indexed || discarded) log.info({ camera, indexed, discarded }, 'recording: indexed segments left on disk');
  return { indexed, discarded };
}
