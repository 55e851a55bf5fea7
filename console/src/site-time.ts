// Calendar arithmetic in the site's time zone (SiteTree.timezone, e.g. Asia/Shanghai), not the
// browser's: the hub buckets energy by site days and hours, so "today" on a laptop in New York
// must still mean today in the building. Intl only; pure apart from the formatter cache.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

export interface SiteParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock fields of `ts` in `tz`. */
export function siteParts(ts: number, tz: string): SiteParts {
  const out: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ts))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute, second: out.second };
}

/** Offset of `tz` from UTC at `ts`, ms (Asia/Shanghai: +8 h). */
export function siteOffset(ts: number, tz: string): number {
  const p = siteParts(ts, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ts / 1000) * 1000;
}

/** UTC ms of a wall-clock time in `tz` (overflowing fields roll over, as with Date.UTC). */
export function siteToUtc(tz: string, year: number, month: number, day: number, hour = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  const first = guess - siteOffset(guess, tz);
  return guess - siteOffset(first, tz);
}

/** Start of the site's day containing `ts`. */
export function siteStartOfDay(ts: number, tz: string): number {
  const p = siteParts(ts, tz);
  return siteToUtc(tz, p.year, p.month, p.day);
}

/** Start of the site's month containing `ts`, `monthsBack` months earlier. */
export function siteStartOfMonth(ts: number, tz: string, monthsBack = 0): number {
  const p = siteParts(ts, tz);
  return siteToUtc(tz, p.year, p.month - monthsBack, 1);
}

/** The site's date as YYYY-MM-DD. */
export function siteIsoDate(ts: number, tz: string): string {
  const p = siteParts(ts, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** A time zone the browser knows, else UTC (a typo in site.yaml must not break the page). */
export function safeTimeZone(tz: string | undefined): string {
  if (!tz) return 'UTC';
  try {
    formatter(tz);
    return tz;
  } catch {
    return 'UTC';
  }
}
