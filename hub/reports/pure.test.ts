// Table tests of the reports' pure computations: periods, targets and projections, degree-days,
// baseline anomalies, meeting-room utilisation, EEMUA grades and schedules (Asia/Shanghai).
import { describe, expect, it } from 'vitest';
import { aboveBaseline, consumptionAnomalies, median, nightOf, repeatFaults, runningHoursAnomaly } from './anomalies.js';
import { degreeDays, normalisedChangePct } from './degree-days.js';
import { eemuaGrade } from './eemua.js';
import { lastYearSpan, periodOf, reportSpan, weekStart, yearEarlier } from './periods.js';
import { isDue, lastDue } from './schedule.js';
import { checkReports, reportsFileSchema } from './schema.js';
import { pctChange, periodTarget, project } from './targets.js';
import { SLOT_MS, utilisation } from './utilisation.js';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const RULES = { nightFrom: '22:00', nightTo: '06:00', abovePct: 25, minAbove: 1, baselineDays: 14 };

describe('periods', () => {
  it.each([
    ['2026-12-03T10:00:00+08:00', 'day', '2026-12-03T00:00:00+08:00', '2026-12-04T00:00:00+08:00'],
    ['2026-12-03T10:00:00+08:00', 'week', '2026-11-30T00:00:00+08:00', '2026-12-07T00:00:00+08:00'], // Thursday → Monday
    ['2026-12-06T23:59:00+08:00', 'week', '2026-11-30T00:00:00+08:00', '2026-12-07T00:00:00+08:00'], // Sunday still in that week
    ['2026-12-03T10:00:00+08:00', 'month', '2026-12-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00'],
    ['2026-12-01T00:30:00+08:00', 'day', '2026-12-01T00:00:00+08:00', '2026-12-02T00:00:00+08:00'], // 16:30 UTC the day before
  ] as const)('%s %s → [%s, %s)', (t, p, from, to) => {
    expect(periodOf(at(t), TZ, p)).toEqual({ from: at(from), to: at(to) });
  });
  it('weekStart of a Monday is itself', () => expect(weekStart(at('2026-11-30T08:00:00+08:00'), TZ)).toBe(at('2026-11-30T00:00:00+08:00')));
  it.each([
    ['2026-12-03T10:15:30+08:00', '2025-12-03T10:15:30+08:00'],
    ['2028-02-29T12:00:00+08:00', '2027-02-28T12:00:00+08:00'],
  ])('a year before %s is %s', (t, want) => expect(yearEarlier(at(t), TZ)).toBe(at(want)));
  it('last year of a week is 52 weeks earlier, up to the same elapsed time', () => {
    const span = periodOf(at('2026-12-03T10:00:00+08:00'), TZ, 'week');
    expect(lastYearSpan('week', span, at('2026-12-03T10:00:00+08:00'), TZ)).toEqual({ from: at('2025-12-01T00:00:00+08:00'), to: at('2025-12-04T10:00:00+08:00') });
  });
  it.each([
    ['daily', '2026-12-03T07:30:00+08:00', '2026-12-02T00:00:00+08:00', '2026-12-03T00:00:00+08:00'],
    ['weekly', '2026-12-03T07:30:00+08:00', '2026-11-23T00:00:00+08:00', '2026-11-30T00:00:00+08:00'],
    ['monthly', '2026-12-01T08:30:00+08:00', '2026-11-01T00:00:00+08:00', '2026-12-01T00:00:00+08:00'],
  ] as const)('a %s report made at %s covers [%s, %s)', (kind, t, from, to) => {
    expect(reportSpan(kind, at(t), TZ)).toEqual({ from: at(from), to: at(to) });
  });
});

describe('targets and projection', () => {
  it.each([
    // annual 365 000 over a 31-day month of a 365-day year → 31 000
    [{ annual: 365_000 }, '2026-12-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00', 31_000],
    // monthly 30 000 over one December day → 30000/31
    [{ monthly: 31_000 }, '2026-12-03T00:00:00+08:00', '2026-12-04T00:00:00+08:00', 1_000],
    // a week across a month end: 3 Nov days at 30000/30 + 4 Dec days at 31000/31
    [{ monthly: 30_000 }, '2026-11-28T00:00:00+08:00', '2026-12-05T00:00:00+08:00', 3 * 1000 + 4 * (30_000 / 31)],
  ] as const)('%j over [%s, %s) is %d', (t, from, to, want) => {
    expect(periodTarget(t, at(from), at(to), TZ)).toBeCloseTo(want, 6);
  });
  it.each([
    [100, 0, 10, 5, 200],
    [100, 0, 10, 10, 100],
    [100, 0, 10, 12, 100],
    [100, 0, 10, 0, null],
    [null, 0, 10, 5, null],
  ])('project(%s, %s, %s, now=%s) = %s', (a, f, t, n, want) => expect(project(a, f, t, n)).toBe(want));
  it.each([
    [110, 100, 10],
    [90, 100, -10],
    [1, 0, null],
    [null, 100, null],
  ])('pctChange(%s, %s) = %s', (a, b, want) => expect(pctChange(a, b)).toBe(want));
});

describe('degree-days', () => {
  it.each([
    [[10, 18, 20], 18, 26, { hdd: 8, cdd: 0, days: 3 }],
    [[28, 30, 25], 18, 26, { hdd: 0, cdd: 6, days: 3 }],
    [[], 18, 26, { hdd: 0, cdd: 0, days: 0 }],
  ])('%j (base %d/%d)', (temps, hb, cb, want) => expect(degreeDays(temps, hb, cb)).toEqual(want));
  it.each([
    // same use per degree-day → 0 %; twice the degree-days for the same use → −50 %
    [100, 100, { hdd: 10, cdd: 0, days: 7 }, { hdd: 10, cdd: 0, days: 7 }, 0],
    [100, 100, { hdd: 20, cdd: 0, days: 7 }, { hdd: 10, cdd: 0, days: 7 }, -50],
    [100, 100, { hdd: 0, cdd: 0, days: 7 }, { hdd: 10, cdd: 0, days: 7 }, null],
  ])('normalised change of %d vs %d', (a, b, dn, dl, want) => expect(normalisedChangePct(a, b, dn, dl)).toBe(want));
});

describe('anomalies', () => {
  it.each([[[], null], [[3], 3], [[1, 3], 2], [[5, 1, 3], 3]])('median(%j) = %s', (xs, want) => expect(median(xs)).toBe(want));
  it.each([
    ['2026-12-02T23:00:00+08:00', '2026-12-02'],
    ['2026-12-03T05:00:00+08:00', '2026-12-02'], // after midnight: the night that started the day before
    ['2026-12-03T06:00:00+08:00', null],
    ['2026-12-03T12:00:00+08:00', null],
  ])('the hour at %s belongs to night %s', (t, want) => expect(nightOf(at(t), TZ, RULES)).toBe(want));
  it.each([
    ['flags +50 % over a steady baseline', [10, 10, 10, 10, 15], true],
    ['not +20 % (threshold 25 %)', [10, 10, 10, 10, 12], false],
    ['not with too few earlier values', [10, 10, 20], false],
    ['not when the excess is below minAbove', [0.1, 0.1, 0.1, 0.1, 0.5], false],
  ])('%s', (_name, values, flagged) => {
    const groups = (values as number[]).map((v, i) => [`d${i}`, v] as const);
    expect(aboveBaseline(groups, RULES) !== null).toBe(flagged);
  });
  it('names a meter whose last night used more than its baseline, with a checkable reason', () => {
    const start = at('2026-11-15T00:00:00+08:00');
    const end = at('2026-12-03T12:00:00+08:00');
    const hourly: Array<[number, number]> = [];
    for (let t = start; t < end; t += H) {
      const night = nightOf(t, TZ, RULES);
      hourly.push([t, night === '2026-12-02' ? 3 : night ? 2 : 10]);
    }
    const notes = consumptionAnomalies({ pointId: 'hq/a/l05/weak-502/meter-l05/kwh', unit: 'kWh', label: 'L5 meter' }, hourly, end, TZ, RULES);
    expect(notes.map((n) => n.kind)).toEqual(['night-consumption']);
    expect(notes[0].reason.en).toBe('L5 meter: night 22:00–06:00 from 2026-12-02 used 24.0 kWh, median of the 14 nights before 16.0 kWh (+50%)');
    expect(notes[0].href).toBe('#/trends/hq%2Fa%2Fl05%2Fweak-502%2Fmeter-l05%2Fkwh');
  });
  it.each([
    ['over a configured norm', [['2026-12-02', 20]], 14, 'ran 20.0 h on 2026-12-02; its norm is at most 14.0 h a day'],
    ['within the norm', [['2026-12-02', 12]], 14, null],
    ['over its own baseline', [['a', 12], ['b', 12], ['c', 12], ['2026-12-02', 18]], undefined, 'ran 18.0 h on 2026-12-02, median of the 3 days before 12.0 h'],
    ['within its baseline', [['a', 12], ['b', 12], ['c', 12], ['2026-12-02', 13]], undefined, null],
  ] as const)('running hours %s', (_n, days, max, want) => {
    const a = runningHoursAnomaly({ pointId: 'p', label: 'Chiller' }, days, max, RULES);
    expect(a?.reason.en ?? null).toBe(want === null ? null : `Chiller ${want}`);
  });
  it('repeat faults: alarms at or above the count, devices with more than one order', () => {
    const notes = repeatFaults(new Map([['a1', 3], ['a2', 2]]), 3, 7, [{ device: 'pump-1', count: 2, latestOrder: 9 }, { device: 'x', count: 1, latestOrder: 1 }]);
    expect(notes.map((n) => [n.subject, n.href])).toEqual([['a1', '#/alarms/journal?alarm=a1'], ['pump-1', '#/workorders/9']]);
  });
});

describe('meeting-room utilisation', () => {
  const s = (i: number) => i * SLOT_MS;
  it.each([
    ['conditioned and occupied', [[s(0), 900]], [[s(0), 400]], { occupiedH: 0.25, conditionedH: 0.25, emptyConditionedH: 0 }],
    ['conditioned while empty', [[s(0), 450]], [[s(0), 400]], { occupiedH: 0, conditionedH: 0.25, emptyConditionedH: 0.25 }],
    ['occupied, not conditioned', [[s(0), 900]], [[s(0), 20]], { occupiedH: 0.25, conditionedH: 0, emptyConditionedH: 0 }],
    ['a day: 2 h meeting in 11 h conditioning', Array.from({ length: 44 }, (_, i) => [s(i), i < 8 ? 900 : 430]), Array.from({ length: 44 }, (_, i) => [s(i), 400]), { occupiedH: 2, conditionedH: 11, emptyConditionedH: 9 }],
  ] as const)('%s', (_n, co2, airflow, want) => {
    expect(utilisation({ co2: co2 as Array<[number, number]>, airflow: airflow as Array<[number, number]> }, 650, 150)).toEqual(want);
  });
});

describe('EEMUA 191 grade of the average alarm rate per 10 min', () => {
  it.each([
    [0, 'very-likely-acceptable'], [0.99, 'very-likely-acceptable'], [1, 'manageable'], [2, 'manageable'],
    [2.1, 'likely-over-demanding'], [10, 'likely-over-demanding'], [10.5, 'very-likely-unacceptable'],
  ] as const)('%d → %s', (rate, grade) => expect(eemuaGrade(rate)).toBe(grade));
});

describe('schedules', () => {
  it.each([
    ['daily', '07:30', '2026-12-03T08:00:00+08:00', '2026-12-03T07:30:00+08:00'],
    ['daily', '07:30', '2026-12-03T07:00:00+08:00', '2026-12-02T07:30:00+08:00'],
    ['weekly', '08:00', '2026-12-03T08:00:00+08:00', '2026-11-30T08:00:00+08:00'],
    ['weekly', '08:00', '2026-11-30T07:59:00+08:00', '2026-11-23T08:00:00+08:00'],
    ['monthly', '08:30', '2026-12-03T08:00:00+08:00', '2026-12-01T08:30:00+08:00'],
    ['monthly', '08:30', '2026-12-01T08:00:00+08:00', '2026-11-01T08:30:00+08:00'],
  ] as const)('%s at %s, at %s the last due time is %s', (kind, hhmm, now, want) => expect(lastDue(kind, hhmm, at(now), TZ)).toBe(at(want)));
  it('is due once per due time', () => {
    const now = at('2026-12-03T08:00:00+08:00');
    expect(isDue('daily', '07:30', now, TZ, undefined)).toBe(at('2026-12-03T07:30:00+08:00'));
    expect(isDue('daily', '07:30', now, TZ, at('2026-12-03T07:30:00+08:00'))).toBeNull();
    expect(isDue('daily', '07:30', now, TZ, at('2026-12-02T07:30:00+08:00'))).toBe(at('2026-12-03T07:30:00+08:00'));
  });
});

describe('reports.yaml', () => {
  const site = { id: 'hq', name: { en: 'HQ', 'zh-CN': 'HQ' }, timezone: TZ, buildings: [{ id: 'a', name: { en: 'A', 'zh-CN': 'A' }, floors: [{ id: 'l01', key: 'a/l01', name: { en: 'L1', 'zh-CN': '一层' }, level: 1, rooms: [] }] }] };
  it.each([
    [{ targets: [{ area: 'b', electricity: { annual: 1 } }] }, 'targets.0.area: unknown building/floor "b"'],
    [{ targets: [{ area: 'a' }] }, 'targets.0: give an electricity or water target (or both)'],
    [{ targets: [{ area: 'a/l01', water: { monthly: 5 } }, { area: 'a/l01', water: { monthly: 5 } }] }, 'targets.1.area: "a/l01" has a target already'],
    [{ schedules: [{ id: 'd', kind: 'daily', recipients: ['nobody'] }] }, 'schedules.0.recipients.0: unknown user "nobody"'],
    [{ outdoorTemperature: 'hq/a/x' }, 'outdoorTemperature: unknown point "hq/a/x"'],
  ])('%j → %s', (raw, want) => {
    const file = reportsFileSchema.parse(raw);
    expect(checkReports(file, new Map(), site, new Set(['leader'])).map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([want]);
  });
  it.each([
    [{ targets: [{ area: 'a', electricity: { annual: 1, monthly: 2 } }] }],
    [{ schedules: [{ id: 'd', kind: 'hourly', recipients: ['x'] }] }],
    [{ schedules: [{ id: 'd', kind: 'daily', at: '25:00', recipients: ['x'] }] }],
    [{ unknownKey: 1 }],
  ])('refuses %j', (raw) => expect(reportsFileSchema.safeParse(raw).success).toBe(false));
});
