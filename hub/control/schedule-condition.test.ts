import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../alarms/conditions.js';
import { zonedToUtc } from '../../contracts/timezone.js';
import { buildCalendar } from './calendar.js';
import { groupOccupied, scheduleConditionEvaluator, type OccupancySource } from './schedule-condition.js';
import { schedulesFileSchema } from './schedule-schema.js';

const TZ = 'Asia/Shanghai';
const file = schedulesFileSchema.parse(YAML.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../config/schedules.yaml'), 'utf8')));
const src: OccupancySource = { doc: { schedules: file.schedules }, calendar: buildCalendar(file.calendar), timezone: TZ };
const at = (y: number, mo: number, d: number, h: number, mi = 0) => zonedToUtc(TZ, y, mo, d, 0) + (h * 60 + mi) * 60_000;

describe('zone group occupancy from the demo schedules (calendar and 调休 included)', () => {
  it.each([
    ['offices, Monday 2026-03-16 10:00', 'offices', at(2026, 3, 16, 10), true],
    ['offices, Monday 12:30 (standby lunch still counts)', 'offices', at(2026, 3, 16, 12, 30), true],
    ['offices, Monday 07:59 (optimal start is not occupancy)', 'offices', at(2026, 3, 16, 7, 59), false],
    ['offices, Monday 18:00 (end excluded)', 'offices', at(2026, 3, 16, 18), false],
    ['offices, Saturday 2026-03-21 10:00', 'offices', at(2026, 3, 21, 10), false],
    ['offices, 2026-02-16 Monday in Spring Festival (holiday)', 'offices', at(2026, 2, 16, 10), false],
    ['offices, 2026-02-14 Saturday make-up working day (调休上班)', 'offices', at(2026, 2, 14, 10), true],
    ['offices, 2026-10-01 National Day (Thursday)', 'offices', at(2026, 10, 1, 10), false],
    ['meeting rooms, Saturday 2026-03-14 exception morning', 'meeting-rooms', at(2026, 3, 14, 9), true],
    ['meeting rooms, that Saturday afternoon', 'meeting-rooms', at(2026, 3, 14, 14), false],
    ['a group no schedule drives', 'nobody', at(2026, 3, 16, 10), false],
  ])('%s → %s', (_name, group, now, want) => {
    expect(groupOccupied(src, group, now)).toBe(want);
  });

  it('follows the schedules in force (an edited document)', () => {
    const closed = { ...src, doc: { schedules: file.schedules.map((s) => ({ ...s, week: { ...s.week, mon: [] } })) } };
    expect(groupOccupied(closed, 'offices', at(2026, 3, 16, 10))).toBe(false);
  });
});

describe('the schedule condition evaluator', () => {
  const evaluate = scheduleConditionEvaluator(() => src, () => new Set(['offices', 'meeting-rooms']));
  const ctx = (now: number) => ({ now, timezone: TZ, timeWindows: {}, point: () => undefined });
  it.each([
    ['occupied', at(2026, 3, 16, 10), true],
    ['unoccupied', at(2026, 3, 16, 10), false],
    ['occupied', at(2026, 3, 16, 22), false],
    ['unoccupied', at(2026, 3, 16, 22), true],
    ['unoccupied', at(2026, 2, 16, 10), true], // a holiday: a door open is "after hours"
  ] as const)('when %s at %d → %s', (when, now, want) => {
    expect(evaluate({ type: 'schedule', group: 'offices', when }, ctx(now))).toBe(want);
  });
  it('refuses an unknown group loudly', () => {
    expect(() => evaluate({ type: 'schedule', group: 'lobby', when: 'occupied' }, ctx(at(2026, 3, 16, 10)))).toThrow('unknown zone group "lobby"');
  });
  it('without the control module a schedule condition never holds', () => {
    expect(evaluateCondition({ type: 'schedule', group: 'offices', when: 'unoccupied' }, ctx(at(2026, 3, 16, 22)))).toBe(false);
  });
});
