import { describe, expect, it } from 'vitest';
import { buildCalendar, parseIsoDate } from './calendar.js';
import { evaluateAt, learnRate, optimalStartLeadMin, periodProblems, scheduleDocProblems } from './schedule.js';
import { scheduleSchema, type ScheduleInput, type ZoneGroup } from './schedule-schema.js';

const cal = buildCalendar({
  holidays: [{ from: '2026-02-15', to: '2026-02-23', name: '春节' }],
  workdays: [{ date: '2026-02-14', name: '春节调休上班' }, { date: '2026-02-28', name: '春节调休上班' }],
});
const work = [
  { start: '08:00', end: '12:00', mode: 'occupied' as const },
  { start: '12:00', end: '13:30', mode: 'standby' as const },
  { start: '13:30', end: '18:00', mode: 'occupied' as const },
];
const input: ScheduleInput = {
  id: 'office', name: { en: 'Office', 'zh-CN': '办公' }, groups: ['g'],
  modes: { occupied: { setpoint: 24 }, standby: { setpoint: 26 }, unoccupied: { setpoint: 28 } },
  week: { mon: work, tue: work, wed: work, thu: work, fri: work, sat: [], sun: [] },
  holiday: [{ start: '09:00', end: '11:00', mode: 'standby' }],
  exceptions: [{ date: '2026-03-14', periods: [{ start: '08:30', end: '12:00', mode: 'occupied' }], note: 'Saturday meeting' }],
};
const s = scheduleSchema.parse(input);
const d = (x: string) => parseIsoDate(x)!;
const t = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('evaluateAt (schedule, calendar, date) → period', () => {
  it.each([
    ['Mon 07:59', '2026-03-16', '07:59', 'unoccupied', 'week'],
    ['Mon 08:00 boundary', '2026-03-16', '08:00', 'occupied', 'week'],
    ['Mon lunch', '2026-03-16', '12:30', 'standby', 'week'],
    ['Mon 17:59', '2026-03-16', '17:59', 'occupied', 'week'],
    ['Mon 18:00 end is exclusive', '2026-03-16', '18:00', 'unoccupied', 'week'],
    ['ordinary Sunday', '2026-03-15', '10:00', 'unoccupied', 'week'],
    ['make-up Saturday 调休 works like Monday', '2026-02-14', '10:00', 'occupied', 'makeup'],
    ['Spring Festival Monday uses holiday periods', '2026-02-23', '10:00', 'standby', 'holiday'],
    ['Spring Festival Monday afternoon', '2026-02-23', '15:00', 'unoccupied', 'holiday'],
    ['one-off Saturday meeting', '2026-03-14', '09:00', 'occupied', 'exception'],
    ['after the Saturday meeting', '2026-03-14', '12:00', 'unoccupied', 'exception'],
  ])('%s', (_n, date, time, mode, source) => {
    const e = evaluateAt(s, cal, d(date), t(time));
    expect(e.mode).toBe(mode);
    expect(e.plan.source).toBe(source);
  });

  it('optimal start begins early only within the lead time', () => {
    expect(evaluateAt(s, cal, d('2026-03-16'), t('07:00'), 45).mode).toBe('unoccupied');
    const e = evaluateAt(s, cal, d('2026-03-16'), t('07:20'), 45);
    expect(e).toMatchObject({ mode: 'occupied', reason: 'optimal-start' });
    expect(e.period?.start).toBe('08:00');
    // Standby periods are not pre-conditioned; nothing on a Sunday.
    expect(evaluateAt(s, cal, d('2026-03-15'), t('07:50'), 45).mode).toBe('unoccupied');
  });
});

describe('optimal start and rate learning', () => {
  it.each([
    [30, 24, 2, 120, 120], // 6 °C at 2 °C/h = 3 h, capped
    [27, 24, 2, 120, 90],
    [24.1, 24, 2, 120, 0],
    [null, 24, 2, 60, 60], // unknown temperature: the maximum lead
    [26, 24, 4, 120, 30],
  ])('from %s to %s at %s °C/h (max %s) → %s min', (cur, target, rate, max, lead) => {
    expect(optimalStartLeadMin(cur, target, rate, max)).toBe(lead);
  });

  it('learns only from movement towards the setpoint', () => {
    const h = 3_600_000;
    expect(learnRate(2, { ts: 0, temp: 28 }, { ts: h, temp: 24 }, 24, 1)).toBe(4);
    expect(learnRate(2, { ts: 0, temp: 28 }, { ts: h, temp: 29 }, 24)).toBe(2);
    expect(learnRate(2, { ts: 0, temp: 28 }, { ts: 1000, temp: 20 }, 24)).toBe(2); // too short
  });
});

describe('schedule validation', () => {
  it('refuses inverted and overlapping periods', () => {
    expect(periodProblems([{ start: '18:00', end: '08:00', mode: 'occupied' }], ['x'])[0].message).toContain('ends before it starts');
    const p = periodProblems([{ start: '08:00', end: '12:00', mode: 'occupied' }, { start: '11:00', end: '13:00', mode: 'standby' }], ['w', 'mon']);
    expect(p).toEqual([{ path: ['w', 'mon', 1], message: 'period 11:00-13:00 overlaps 08:00-12:00' }]);
    expect(periodProblems(work, [])).toEqual([]);
  });

  const groups: ZoneGroup[] = [{ id: 'g', name: { en: 'g', 'zh-CN': 'g' }, fans: [], zones: [{ id: 'z1', setpoint: 'sp', limits: { min: 18, max: 28 }, loadKw: 2 }] }];
  it('refuses setpoints outside the zone limits, unknown groups, duplicate exceptions', () => {
    const bad = scheduleSchema.parse({ ...input, modes: { occupied: { setpoint: 16 }, standby: { setpoint: 26 }, unoccupied: { setpoint: 28 } } });
    expect(scheduleDocProblems({ schedules: [bad] }, groups)).toEqual([
      { path: ['schedules', 0, 'modes', 'occupied', 'setpoint'], message: 'occupied setpoint 16 °C is outside the limits 18..28 °C of zone z1 (group g)' },
    ]);
    const unknown = scheduleSchema.parse({ ...input, groups: ['nope'] });
    expect(scheduleDocProblems({ schedules: [unknown] }, groups)[0].message).toContain('unknown zone group "nope"');
    const dup = scheduleSchema.parse({ ...input, exceptions: [{ date: '2026-03-14', periods: [] }, { date: '2026-03-14', periods: [] }] });
    expect(scheduleDocProblems({ schedules: [dup] }, groups)[0].message).toBe('a second exception for 2026-03-14');
    expect(scheduleDocProblems({ schedules: [s] }, groups)).toEqual([]);
  });
});
