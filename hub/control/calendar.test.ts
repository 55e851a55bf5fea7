import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildCalendar, calendarProblems, dayInfo, parseIsoDate } from './calendar.js';
import { schedulesFileSchema } from './schedule-schema.js';

const file = schedulesFileSchema.parse(YAML.parse(readFileSync(fileURLToPath(new URL('../../config/schedules.yaml', import.meta.url)), 'utf8')));
const cal = buildCalendar(file.calendar);
const d = (s: string) => parseIsoDate(s)!;

describe('China holiday calendar (shipped config, State Council notices)', () => {
  it.each([
    ['2026-01-01', 'holiday'], // 元旦 Thu
    ['2026-01-03', 'holiday'], // Sat inside the holiday
    ['2026-01-04', 'makeup-workday'], // Sunday worked (调休上班)
    ['2026-02-14', 'makeup-workday'], // Saturday worked before Spring Festival
    ['2026-02-15', 'holiday'],
    ['2026-02-23', 'holiday'], // a Monday off
    ['2026-02-24', 'workday'],
    ['2026-02-28', 'makeup-workday'],
    ['2026-05-05', 'holiday'],
    ['2026-05-09', 'makeup-workday'],
    ['2026-09-20', 'makeup-workday'],
    ['2026-10-07', 'holiday'],
    ['2026-10-08', 'workday'],
    ['2026-10-10', 'makeup-workday'],
    ['2026-03-14', 'weekend'], // an ordinary Saturday
    ['2026-03-16', 'workday'],
    ['2025-10-08', 'holiday'],
    ['2025-10-11', 'makeup-workday'],
    ['2025-01-26', 'makeup-workday'],
  ])('%s is a %s', (date, type) => {
    expect(dayInfo(cal, d(date)).type).toBe(type);
  });

  it('names the holiday and the weekday', () => {
    expect(dayInfo(cal, d('2026-02-17'))).toEqual({ date: '2026-02-17', weekday: 'tue', type: 'holiday', name: '春节 Spring Festival' });
    expect(dayInfo(cal, d('2026-02-14')).weekday).toBe('sat');
  });

  it('2026 has 33 holiday days and 6 make-up working days', () => {
    expect([...cal.holidays.keys()].filter((k) => k.startsWith('2026')).length).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect([...cal.workdays.keys()].filter((k) => k.startsWith('2026')).length).toBe(6);
  });

  it('refuses bad calendars with the path', () => {
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(calendarProblems({ holidays: [{ from: '2026-05-05', to: '2026-05-01', name: 'x' }], workdays: [] })).toEqual([
      { path: ['calendar', 'holidays', 0, 'to'], message: 'ends (2026-05-01) before it starts (2026-05-05)' },
    ]);
    expect(calendarProblems({ holidays: [{ from: '2026-05-01', name: 'x' }], workdays: [{ date: '2026-05-01', name: 'y' }] })[0].message).toContain('also listed as a holiday');
    expect(calendarProblems({ holidays: [{ from: '2026-13-01', name: 'x' }], workdays: [] })[0].path).toEqual(['calendar', 'holidays', 0, 'from']);
  });
});
