import { describe, expect, it } from 'vitest';
import { zonedToUtc } from '../../contracts/timezone.js';
import { buildCalendar, parseIsoDate } from './calendar.js';
import { compare, coverageGaps, DEFAULT_NIGHT_FLOW, nightFlowAnalysis, RuntimeTracker, scheduleSavings, type FlowSample } from './energy.js';
import { scheduleSchema } from './schedule-schema.js';

const TZ = 'Asia/Shanghai';
const at = (h: number, m = 0) => zonedToUtc(TZ, 2026, 3, 16, 0) + (h * 60 + m) * 60_000;
/** A scripted day: one sample every 5 minutes from `flow(hour)`. */
const day = (flow: (h: number) => number | null): FlowSample[] =>
  Array.from({ length: 288 }, (_, i) => ({ ts: at(0, i * 5), value: flow((i * 5) / 60) }));
const opts = { ...DEFAULT_NIGHT_FLOW, timezone: TZ };

describe('nightFlowAnalysis', () => {
  it.each([
    ['sound building: zero at night, busy by day', (h: number) => (h >= 7 && h < 19 ? 3 : h >= 1 && h < 5 ? 0 : 0.5), 'ok'],
    ['constant 0.3 m³/h all night: a running toilet or a burst pipe', (h: number) => (h >= 7 && h < 19 ? 3 : 0.3), 'leak-suspected'],
    ['meter noise below the threshold is zero', (h: number) => (h >= 1 && h < 5 ? 0.02 : 2), 'ok'],
    ['one short night draw, zero otherwise', (h: number) => (h >= 2 && h < 2.1 ? 1.5 : h >= 1 && h < 5 ? 0 : 2), 'ok'],
    ['meter offline at night', (h: number) => (h >= 1 && h < 5 ? null : 2), 'insufficient-data'],
  ])('%s → %s', (_n, flow, verdict) => {
    expect(nightFlowAnalysis(day(flow), opts).verdict).toBe(verdict);
  });

  it('reports the minimum flow and the least volume lost', () => {
    const r = nightFlowAnalysis(day(() => 0.25), opts);
    expect(r).toMatchObject({ verdict: 'leak-suspected', minFlow: 0.25, minimumLossM3: 1 });
    expect(r.samples).toBe(48); // 4 h × 12 samples/h
  });
});

describe('coverageGaps', () => {
  const M = 60_000;
  const r = (min: number, value: number | null = 0.1) => ({ ts: min * M, value });
  it.each([
    ['readings every minute cover the window', [r(0), r(1), r(2), r(3)], 0, 4, []],
    ['a silence longer than maxGap is a hole', [r(0), r(1), r(5), r(6)], 0, 7, [{ from: 1, to: 5 }]],
    ['a comm_fail reading opens a hole until the next good one', [r(0), r(1), r(1.5, null), r(2)], 0, 3, [{ from: 1, to: 2 }]],
    ['no reading at the start or the end', [r(3), r(4)], 0, 8, [{ from: 0, to: 3 }, { from: 4, to: 8 }]],
    ['comm_fail to the end of the window', [r(0), r(1), r(1.5, null)], 0, 2, [{ from: 1, to: 2 }]],
    ['nothing at all', [], 0, 4, [{ from: 0, to: 4 }]],
    ['readings outside the window do not count', [r(-1), r(10)], 0, 4, [{ from: 0, to: 4 }]],
  ])('%s', (_n, samples, from, to, gaps) => {
    expect(coverageGaps(samples, from * M, to * M, 2 * M)).toEqual(gaps.map((g) => ({ from: g.from * M, to: g.to * M })));
  });

  it('nightFlowAnalysis reports the holes of its window', () => {
    const night = day((h) => (h >= 2 && h < 3 ? null : 0.25));
    const r = nightFlowAnalysis(night, { ...opts, window: { from: at(1), to: at(5), maxGapMs: 10 * 60_000 } });
    expect(r).toMatchObject({ verdict: 'leak-suspected', gaps: [{ from: at(1, 55), to: at(3) }], missingMin: 65 });
    expect(nightFlowAnalysis(day(() => 0.25), opts).gaps).toBeUndefined(); // no window given: no coverage claim
  });
});

describe('scheduleSavings', () => {
  const work = [{ start: '08:00', end: '12:00', mode: 'occupied' as const }, { start: '12:00', end: '14:00', mode: 'standby' as const }, { start: '14:00', end: '18:00', mode: 'occupied' as const }];
  const s = scheduleSchema.parse({
    id: 'o', name: { en: 'o', 'zh-CN': 'o' }, groups: ['g'],
    modes: { occupied: { setpoint: 24 }, standby: { setpoint: 26 }, unoccupied: { setpoint: 28 } },
    week: { mon: work, tue: work, wed: work, thu: work, fri: work, sat: [], sun: [] },
  });
  const cal = buildCalendar({ holidays: [], workdays: [] });
  it('weekday: 8 h occupied + 2 h standby (half load) of 24 h', () => {
    expect(scheduleSavings(s, cal, parseIsoDate('2026-03-16')!, [{ loadKw: 3 }, { loadKw: 1 }])).toEqual({
      date: '2026-03-16', zones: 2, baselineHours: 48, scheduledHours: 20, avoidedHours: 28, baselineKwh: 96, scheduledKwh: 36, savedKwh: 60,
    });
  });
  it('Sunday: everything saved', () => {
    expect(scheduleSavings(s, cal, parseIsoDate('2026-03-15')!, [{ loadKw: 2 }]).savedKwh).toBe(48);
  });
});

describe('RuntimeTracker', () => {
  it('splits on-time across local midnight and counts a running interval', () => {
    const r = new RuntimeTracker(TZ);
    r.observe('fan', true, at(22));
    r.observe('fan', false, at(26)); // 02:00 next day
    r.observe('fan', true, at(30));
    expect(r.hours('fan', '2026-03-16', at(31))).toBe(2);
    expect(r.hours('fan', '2026-03-17', at(31))).toBe(2 + 1);
  });
  it('compare', () => {
    expect(compare(110, 100)).toEqual({ value: 110, previous: 100, changePct: 10 });
    expect(compare(5, 0).changePct).toBeNull();
  });
});
