import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../control/calendar.js';
import { ConfigError } from '../config/errors.js';
import { validateConfigFolder } from '../config/validate.js';
import { assigneeOf, plannedRuns } from './schedule.js';
import { checkPatrols, inShift, patrolsFileSchema } from './schema.js';

const TZ = 'Asia/Shanghai';
// 2026: 春节 holiday 15–23 Feb; Sat 14 Feb and Sat 28 Feb are 调休 make-up working days.
const cal = buildCalendar({ holidays: [{ from: '2026-02-15', to: '2026-02-23', name: '春节' }], workdays: [{ date: '2026-02-14', name: '春节调休' }, { date: '2026-02-28', name: '春节调休' }] });
const file = patrolsFileSchema.parse({
  shifts: [{ id: 'day', name: { en: 'Day', 'zh-CN': '白班' }, from: '08:00', to: '20:00' }, { id: 'night', name: { en: 'Night', 'zh-CN': '夜班' }, from: '20:00', to: '08:00' }],
  checkpoints: [{ id: 'gate', name: { en: 'Gate', 'zh-CN': '大门' }, area: 'site/gate' }],
  tours: [
    { id: 'office', name: { en: 'O', 'zh-CN': 'O' }, area: 'a', maxGapMin: 10, assign: { user: 'g' }, checkpoints: [{ checkpoint: 'gate', atMin: 0, windowMin: 5 }], runs: [{ shift: 'day', at: '09:00', days: ['workday', 'makeup-workday'] }] },
    { id: 'rest', name: { en: 'R', 'zh-CN': 'R' }, area: 'a', maxGapMin: 10, assign: { roster: 'security' }, checkpoints: [{ checkpoint: 'gate', atMin: 0, windowMin: 5 }], runs: [{ shift: 'night', at: '23:30', days: ['weekend', 'holiday'] }] },
  ],
});
const day = (d: string) => [Date.parse(`${d}T00:00:00+08:00`), Date.parse(`${d}T00:00:00+08:00`) + 86_400_000] as const;

describe('plannedRuns on the site calendar', () => {
  it.each([
    ['2026-02-13', 'a Friday', ['office@2026-02-13T09:00']],
    ['2026-02-14', 'a Saturday worked (调休)', ['office@2026-02-14T09:00']],
    ['2026-02-16', 'a Monday in the Spring Festival', ['rest@2026-02-16T23:30']],
    ['2026-02-21', 'a Saturday in the holiday', ['rest@2026-02-21T23:30']],
    ['2026-03-07', 'a plain Saturday', ['rest@2026-03-07T23:30']],
    ['2026-03-09', 'a plain Monday', ['office@2026-03-09T09:00']],
  ])('%s (%s)', (date, _why, ids) => {
    const [from, to] = day(date);
    expect(plannedRuns(file.tours, cal, TZ, from, to).map((r) => r.runId)).toEqual(ids);
  });

  it('starts at the local time, with the day type and shift', () => {
    const [from, to] = day('2026-02-14');
    expect(plannedRuns(file.tours, cal, TZ, from, to)[0]).toEqual({ runId: 'office@2026-02-14T09:00', tour: 'office', shift: 'day', date: '2026-02-14', dayType: 'makeup-workday', start: Date.parse('2026-02-14T09:00:00+08:00') });
  });

  it('assigns the named user or the roster\'s on-duty person', () => {
    const onDuty = (trade: string, area: string) => (trade === 'security' && area === 'a' ? 'duty-guard' : undefined);
    expect(assigneeOf(file.tours[0], 0, onDuty)).toBe('g');
    expect(assigneeOf(file.tours[1], 0, onDuty)).toBe('duty-guard');
    expect(assigneeOf({ ...file.tours[1], area: 'b' }, 0, onDuty)).toBeNull();
  });
});

describe('patrols.yaml checks', () => {
  it.each([
    ['20:00', '08:00', '23:30', true], ['20:00', '08:00', '07:59', true], ['20:00', '08:00', '08:00', false], ['08:00', '20:00', '19:59', true], ['08:00', '20:00', '20:00', false],
  ])('shift %s–%s contains %s: %s', (from, to, at, inside) => {
    expect(inShift({ from, to }, at)).toBe(inside);
  });

  it('names unknown checkpoints, shifts, users, runs outside their shift and planned times going back', () => {
    const bad = patrolsFileSchema.parse({
      ...file,
      tours: [{ ...file.tours[0], assign: { user: 'nobody' }, checkpoints: [{ checkpoint: 'gate', atMin: 5, windowMin: 1 }, { checkpoint: 'vault', atMin: 2, windowMin: 1 }], runs: [{ shift: 'day', at: '21:00' }, { shift: 'swing', at: '10:00' }] }],
    });
    expect(checkPatrols(bad, new Set(['g']))).toEqual([
      { path: ['tours', 0, 'checkpoints', 1, 'checkpoint'], message: 'unknown checkpoint "vault"' },
      { path: ['tours', 0, 'checkpoints', 1, 'atMin'], message: 'planned before the previous checkpoint (5 min)' },
      { path: ['tours', 0, 'runs', 0, 'at'], message: '21:00 is outside shift "day" (08:00–20:00)' },
      { path: ['tours', 0, 'runs', 1, 'shift'], message: 'unknown shift "swing" (known: day, night)' },
      { path: ['tours', 0, 'assign', 'user'], message: 'unknown user "nobody"' },
    ]);
  });

  it('check-config (validateConfigFolder) refuses a bad config/patrols.yaml with its path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-patrols-cfg-'));
    try {
      fs.cpSync(path.resolve(import.meta.dirname, '../../config'), dir, { recursive: true });
      expect(() => validateConfigFolder(dir, { floorplansDir: false })).not.toThrow();
      const text = fs.readFileSync(path.join(dir, 'patrols.yaml'), 'utf8').replace('checkpoint: a-lobby,       atMin: 5', 'checkpoint: a-nowhere,       atMin: 5');
      fs.writeFileSync(path.join(dir, 'patrols.yaml'), text);
      let err: unknown;
      try {
        validateConfigFolder(dir, { floorplansDir: false });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect(String((err as Error).message)).toMatch(/patrols\.yaml.*tours.*unknown checkpoint "a-nowhere"/s);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
