// Pure logic of the playback page: the time window the timeline shows, positions on it, the
// playback map (media second ↔ wall clock), synchronising up to four players, and which cameras
// an event opens. No DOM here (table-tested in rec-model.test.ts).
import type { PlaybackPiece, TimelineEvent } from '../../../../contracts/recording.js';

export const MAX_CAMERAS = 4;
export const SPEEDS = [1, 4, 16] as const;
/** Timeline window spans (ms) the operator can zoom between. */
export const SPANS = [5 * 60_000, 30 * 60_000, 2 * 3600_000, 24 * 3600_000] as const;
/** How much video one player loads around the cursor (one assembled file). */
export const LOAD_BEFORE_MS = 60_000;
export const LOAD_AFTER_MS = 9 * 60_000;

export interface Window { from: number; to: number }

/** A window of `span` around `cursor`, never reaching past `now`. */
export function windowAround(cursor: number, span: number, now: number): Window {
  const to = Math.min(now, cursor + span / 2);
  return { from: to - span, to };
}

/** Position of `ts` on the window in percent, clamped to 0…100. */
export function percentOf(ts: number, w: Window): number {
  return Math.max(0, Math.min(100, ((ts - w.from) / (w.to - w.from)) * 100));
}

/** Time at a click `x` pixels into a bar `width` wide. */
export function timeAt(x: number, width: number, w: Window): number {
  return Math.round(w.from + (Math.max(0, Math.min(width, x)) / width) * (w.to - w.from));
}

/** Wall clock at a media time. */
export function wallAt(pieces: readonly PlaybackPiece[], media: number): number | undefined {
  if (pieces.length === 0) return undefined;
  const p = pieces.find((x) => media >= x.media && media < x.media + x.duration) ?? (media >= pieces.at(-1)!.media ? pieces.at(-1)! : pieces[0]);
  return p.wall + (media - p.media) * 1000;
}

/** Media time showing `wall`, or undefined when it falls in a gap or outside the file. */
export function mediaAt(pieces: readonly PlaybackPiece[], wall: number): number | undefined {
  const p = pieces.find((x) => wall >= x.wall && wall < x.wall + x.duration * 1000);
  return p ? p.media + (wall - p.wall) / 1000 : undefined;
}

/** Whether a follower player must jump: it drifted more than `toleranceS` from the leader's wall clock. */
export function needsResync(followerMedia: number, target: number | undefined, toleranceS = 0.35): boolean {
  return target !== undefined && Math.abs(followerMedia - target) > toleranceS;
}

/** The cameras an event opens: the ones that see its place, kept to MAX_CAMERAS. */
export function camerasForEvent(e: Pick<TimelineEvent, 'cameras'>, current: readonly string[]): string[] {
  return e.cameras.length ? e.cameras.slice(0, MAX_CAMERAS) : [...current];
}

/** Toggles a camera in the selection (at most MAX_CAMERAS; the oldest choice goes). */
export function toggleCamera(selected: readonly string[], id: string): string[] {
  if (selected.includes(id)) return selected.filter((c) => c !== id);
  return [...selected, id].slice(-MAX_CAMERAS);
}

/** One frame at the stream's rate (the simulator and most cameras: 10–25 fps). */
export function frameStep(fps = 10): number {
  return 1 / fps;
}

/** Hash params of the page: `#/recordings?cams=a,b&t=<ms>`. */
export function parseHash(query: string): { cams: string[]; t?: number } {
  const q = new URLSearchParams(query);
  const t = Number(q.get('t'));
  return { cams: (q.get('cams') ?? '').split(',').filter(Boolean).slice(0, MAX_CAMERAS), t: Number.isFinite(t) && t > 0 ? t : undefined };
}

/** Time of day hh:mm:ss in the site's zone. */
export function clock(ts: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(ts));
}

/** Date and time yyyy-mm-dd hh:mm in the site's zone. */
export function dateTime(ts: number, tz: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(ts)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Epoch ms of a `datetime-local` value read in the site's zone. */
export function parseLocal(value: string, tz: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  // The zone's offset at that moment: format the guess in the zone and correct by the difference.
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).formatToParts(new Date(guess)).map((x) => [x.type, x.value]));
  const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return guess - (shown - guess);
}
