import { afterEach, describe, expect, it } from 'vitest';
import { safeTimeZone, siteIsoDate, siteOffset, siteStartOfDay, siteStartOfMonth } from './site-time.js';

const SH = 'Asia/Shanghai';
const HOUR = 3_600_000;
const originalTz = process.env.TZ;

afterEach(() => {
  process.env.TZ = originalTz;
  if (originalTz === undefined) delete process.env.TZ;
});

describe('site time (the building\'s day, whatever the browser\'s zone)', () => {
  // 2026-03-16 07:30 in Shanghai = 2026-03-15 23:30 UTC = 2026-03-15 19:30 in New York (EDT).
  const T = Date.UTC(2026, 2, 15, 23, 30);
  const SHANGHAI_MIDNIGHT = Date.UTC(2026, 2, 15, 16); // 2026-03-16 00:00 +08:00

  it.each(['UTC', 'America/New_York', 'Asia/Shanghai', 'Europe/Berlin'])('browser in %s: today starts at Shanghai midnight', (browserTz) => {
    process.env.TZ = browserTz; // Node re-reads TZ: Date's local time is now that zone
    expect(siteStartOfDay(T, SH)).toBe(SHANGHAI_MIDNIGHT);
    expect(siteIsoDate(T, SH)).toBe('2026-03-16');
  });

  it('the browser-local day differs for a browser in New York (the bug this replaces)', () => {
    process.env.TZ = 'America/New_York';
    const d = new Date(T);
    d.setHours(0, 0, 0, 0);
    expect(d.getTime()).not.toBe(SHANGHAI_MIDNIGHT);
  });

  it.each([
    ['Asia/Shanghai', T, 8 * HOUR],
    ['UTC', T, 0],
    ['America/New_York', T, -4 * HOUR], // EDT since 2026-03-08
    ['America/New_York', Date.UTC(2026, 0, 15), -5 * HOUR],
  ])('offset of %s', (tz, ts, offset) => {
    expect(siteOffset(ts, tz)).toBe(offset);
  });

  it.each([
    // ts, zone, day start, month start, 11 months back
    [T, SH, SHANGHAI_MIDNIGHT, Date.UTC(2026, 1, 28, 16), Date.UTC(2025, 2, 31, 16)],
    [Date.UTC(2026, 2, 8, 12), 'America/New_York', Date.UTC(2026, 2, 8, 5), Date.UTC(2026, 2, 1, 5), Date.UTC(2025, 3, 1, 4)], // the DST day
    [Date.UTC(2026, 0, 1, 1), 'UTC', Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1), Date.UTC(2025, 1, 1)],
  ])('day and month boundaries of %s in %s', (ts, tz, day, month, yearAgo) => {
    process.env.TZ = 'UTC';
    expect(siteStartOfDay(ts, tz)).toBe(day);
    expect(siteStartOfMonth(ts, tz)).toBe(month);
    expect(siteStartOfMonth(ts, tz, 11)).toBe(yearAgo);
  });

  it('falls back to UTC for a zone the browser does not know', () => {
    expect(safeTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(safeTimeZone('Mars/Olympus')).toBe('UTC');
    expect(safeTimeZone(undefined)).toBe('UTC');
  });
});
