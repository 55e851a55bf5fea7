import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../control/calendar.js';
import { covers, escalationTarget, onCall, rosterLine } from './roster.js';
import { dispatchFileSchema } from './schema.js';

const file = dispatchFileSchema.parse({
  people: ['e1', 'e2', 'e3', 'e-night', 'eh', 'sup', 'mgr', 'p1'].map((user) => ({ user })),
  trades: [{ id: 'electrical', areas: ['a', 'b'] }, { id: 'plumbing', areas: ['a'] }],
  roster: {
    dayFrom: '08:00', dayTo: '18:00',
    entries: [
      { trade: 'electrical', workday: ['e1', 'e2'], weekend: ['e3'], holiday: ['eh'], night: ['e-night', 'e1'], supervisor: 'sup', manager: 'mgr' },
      { trade: 'electrical', areas: ['b/l01'], workday: ['e2', 'e1'], supervisor: 'sup', manager: 'mgr' },
      { trade: 'plumbing', areas: ['a'], workday: ['p1'], supervisor: 'sup', manager: 'mgr' },
    ],
  },
});
// 2026-02-14 (Sat) is a 调休 make-up working day, 2026-02-16 (Mon) is in the Spring Festival.
const cal = buildCalendar({ holidays: [{ from: '2026-02-15', to: '2026-02-23', name: '春节' }], workdays: [{ date: '2026-02-14', name: '春节调休上班' }] });
const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);

describe('on-call roster', () => {
  it.each([
    // [local time, trade, area, on-call list, basis]
    ['2026-02-12T10:00', 'electrical', 'a/l03/r1', ['e1', 'e2'], 'workday'],
    ['2026-02-14T10:00', 'electrical', 'a/l03/r1', ['e1', 'e2'], 'makeup-workday'],
    ['2026-02-16T10:00', 'electrical', 'a/l03/r1', ['eh'], 'holiday'],
    ['2026-03-07T10:00', 'electrical', 'a', ['e3'], 'weekend'],
    ['2026-02-12T22:30', 'electrical', 'a', ['e-night', 'e1'], 'workday/night'],
    ['2026-02-13T07:59', 'electrical', 'a', ['e-night', 'e1'], 'workday/night'],
    ['2026-02-12T10:00', 'electrical', 'b/l01/r9', ['e2', 'e1'], 'workday'],
    ['2026-03-07T10:00', 'electrical', 'b/l01', ['e2', 'e1'], 'weekend'], // no weekend list: workday list
    ['2026-02-12T10:00', 'plumbing', 'a/b1', ['p1'], 'workday'],
  ] as const)('%s %s %s → %j (%s)', (local, trade, area, people, basis) => {
    const oc = onCall(file, cal, TZ, trade, area, at(local));
    expect(oc?.people).toEqual(people);
    expect(oc?.basis).toBe(basis);
  });

  it('no line for a trade/area the roster does not cover', () => {
    expect(onCall(file, cal, TZ, 'plumbing', 'b/l01', at('2026-02-12T10:00'))).toBeUndefined();
    expect(onCall(file, cal, TZ, 'hvac', 'a', at('2026-02-12T10:00'))).toBeUndefined();
  });

  it('escalation goes next person → supervisor → manager', () => {
    const oc = onCall(file, cal, TZ, 'electrical', 'a', at('2026-02-12T10:00'))!;
    expect([0, 1, 2, 3, 4].map((l) => escalationTarget(oc, l))).toEqual(['e1', 'e2', 'sup', 'mgr', 'mgr']);
    const single = onCall(file, cal, TZ, 'plumbing', 'a', at('2026-02-12T10:00'))!;
    expect(escalationTarget(single, 1)).toBe('sup');
  });

  it('area prefixes match whole segments', () => {
    expect(covers('a', 'a/l01')).toBe(true);
    expect(covers('a', 'ab/l01')).toBe(false);
    expect(rosterLine(file.roster.entries, 'electrical', 'b/l010')?.areas).toBeUndefined();
  });
});
