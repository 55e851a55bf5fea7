// Local calendar arithmetic in the site's time zone, with Intl only (no tz database of our own).
// Shared by the hub (history buckets, schedules, lighting) and the console ("today" on a laptop
// elsewhere still means today in the building).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a RangeError for an unknown zone name. */
export function assertTimeZone(tz: string): void {
  formatter(tz);
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ts: number, tz: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ts))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute, second: out.second };
}

/** Offset of local time from UTC at `ts`, in ms (Asia/Shanghai: +8 h). */
export function offsetAt(ts: number, tz: string): number {
  const p = localParts(ts, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ts / 1000) * 1000;
}

/** UTC ms of a local wall-clock time (overflowing fields roll over, as with Date.UTC). */
export function zonedToUtc(tz: string, year: number, month: number, day: number, hour = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  const first = guess - offsetAt(guess, tz);
  const second = guess - offsetAt(first, tz);
  return second;
}

export type CalendarInterval = 'hour' | 'day' | 'month';

/** Start of the local hour/day/month containing `ts`. */
export function localStartOf(ts: number, tz: string, interval: CalendarInterval): number {
  const p = localParts(ts, tz);
  if (interval === 'hour') return ts - ((p.minute * 60 + p.second) * 1000 + (ts % 1000));
  if (interval === 'day') return zonedToUtc(tz, p.year, p.month, p.day);
  return zonedToUtc(tz, p.year, p.month, 1);
}

/** Start of the next local hour/day/month after the one starting at `start`. */
export function nextLocalStart(start: number, tz: string, interval: CalendarInterval): number {
  if (interval === 'hour') return start + 3_600_000;
  const p = localParts(start, tz);
  if (interval === 'day') return zonedToUtc(tz, p.year, p.month, p.day + 1);
  return zonedToUtc(tz, p.year, p.month + 1, 1);
}

/** Local calendar buckets covering [from, to): the first starts at or before `from`. */
export function localBuckets(from: number, to: number, tz: string, interval: CalendarInterval): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let start = localStartOf(from, tz, interval); start < to; ) {
    const end = nextLocalStart(start, tz, interval);
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** `2024-03-01T00:00:00+08:00`: ISO 8601 in local time with its offset (what a spreadsheet user expects). */
export function localIso(ts: number, tz: string): string {
  const p = localParts(ts, tz);
  const off = Math.round(offsetAt(ts, tz) / 60_000);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const sign = off < 0 ? '-' : '+';
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}
