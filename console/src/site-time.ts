// Calendar arithmetic in the site's time zone (SiteTree.timezone, e.g. Asia/Shanghai), not the
// browser's: the hub buckets energy by site days and hours, so "today" on a laptop in New York
// must still mean today in the building. Intl only; pure apart from the formatter cache.

import { assertTimeZone, localParts, offsetAt, zonedToUtc, type LocalParts } from '../../contracts/timezone.js';

export type SiteParts = LocalParts;
/** Wall-clock fields of `ts` in `tz`. */
export const siteParts = localParts;
/** Offset of `tz` from UTC at `ts`, ms (Asia/Shanghai: +8 h). */
export const siteOffset = offsetAt;
/** UTC ms of a wall-clock time in `tz` (overflowing fields roll over, as with Date.UTC). */
export const siteToUtc = zonedToUtc;

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
    assertTimeZone(tz);
    return tz;
  } catch {
    return 'UTC';
  }
}
