// Pure rules about stored captures. The hub names them `<camera>-<stamp>-<reason>.<jpg|mp4>`
// (hub/video/gateway.ts) where stamp is the ISO time without `-`/`:` and `.` → `-`
// (20250301T101502-123Z) and an alarm's reason is `alarm-<alarm id>` with every character
// outside [a-z0-9-] replaced by `_`. Alarms carry no attachment field, so an alarm's
// snapshot and clip are found by this name and the alarm's time.
import type { CaptureFile } from './camera-types.js';

const NAME = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-(\d{3})Z-(.+)\.(?:jpg|mp4)$/i;

/** Time and reason from a capture file name; {} when the name has no stamp. */
export function parseCaptureName(file: string): { at?: number; reason?: string } {
  const m = NAME.exec(file);
  if (!m) return {};
  const [, y, mo, d, hh, mm, ss, ms, reason] = m;
  return { at: Date.UTC(+y, +mo - 1, +d, +hh, +mm, +ss, +ms), reason };
}

/** The reason the hub writes into the file names of an alarm's captures. */
export function alarmReason(alarmId: string): string {
  return `alarm-${alarmId}`.replace(/[^a-z0-9-]/gi, '_');
}

/**
 * The capture of this alarm's latest activation: a file with the alarm's reason, taken at or
 * after `since` (minus a little clock slack), earliest such first; else the newest one with the
 * reason at all (an older activation of the same alarm is better than nothing).
 */
export function captureForAlarm(files: readonly CaptureFile[], alarmId: string, since: number | null, slackMs = 5_000): CaptureFile | undefined {
  const reason = alarmReason(alarmId);
  const mine = files.filter((f) => f.reason === reason);
  if (!mine.length) return undefined;
  const byTime = [...mine].sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  if (since !== null) {
    const after = byTime.find((f) => (f.at ?? 0) >= since - slackMs);
    if (after) return after;
  }
  return byTime.at(-1);
}
