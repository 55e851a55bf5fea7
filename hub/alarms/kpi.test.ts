import { describe, expect, it } from 'vitest';
import type { AlarmStateName, JournalKind, JournalRow } from '../../contracts/alarms.js';
import { computeKpis } from './kpi.js';
import { initialState } from './machine.js';

const MIN = 60_000;
let seq = 0;
function row(ts: number, alarmId: string, kind: JournalKind = 'activate', state: AlarmStateName = 'unacknowledged'): JournalRow {
  return { seq: ++seq, ts, alarmId, ruleId: alarmId, pointId: `hq/a/b1/r/e/${alarmId}`, priority: 'high', area: 'a/b1/r', kind, state, user: 'system' };
}

// One hour = six 10-minute periods. Period 0 floods (12 annunciations), period 1 has 2.
const history: JournalRow[] = [
  row(0, 'door'), row(10_000, 'door'), row(20_000, 'door'), row(30_000, 'door'), // chattering: 4 in 60 s
  ...Array.from({ length: 7 }, (_, i) => row(MIN + i * MIN, `leak-${i}`)),
  row(9 * MIN, 'hum.h', 're-alarm', 'unacknowledged'),
  row(9 * MIN + 1, 'hum.h', 'ack', 'acknowledged'), // not an alarm
  row(12 * MIN, 'door'),
  row(15 * MIN, 'temp', 'activate', 'shelved'), // hidden by shelving: not annunciated
  row(15 * MIN + 5_000, 'temp', 'activate', 'shelved'),
  row(15 * MIN + 9_000, 'temp', 'activate', 'shelved'), // ...but chattering all the same
  row(19 * MIN, 'temp2'),
  row(25 * MIN, 'temp', 'shelve-expired', 'normal'), // cleared meanwhile: nothing to see
  row(26 * MIN, 'temp3', 'return-to-service', 'unacknowledged'), // still active: shown again
  row(2 * 3600_000, 'late'), // outside the period
];

describe('alarm KPIs on a scripted history', () => {
  const to = 60 * MIN;
  const states = [
    { ...initialState('s1', 0), shelved: { by: 'boss', reason: 'r', at: 0, until: to } },
    { ...initialState('o1', 0), outOfService: { by: 'boss', reason: 'm', at: 0 } },
    { ...initialState('old', 0), active: true, activeSince: to - 25 * 3600_000, acked: true },
    { ...initialState('young', 0), active: true, activeSince: to - 23 * 3600_000, acked: true },
  ];
  const k = computeKpis(history, states, { from: 0, to });

  it('alarms per 10 minutes per operator position and flood share', () => {
    expect(k.periods).toBe(6);
    // 4 + 7 + 1 re-alarm = 12 in period 0; door + temp2 = 2 in period 1; temp3 in period 2.
    expect(k.per10MinMax).toBe(12);
    expect(k.per10MinAvg).toBe(2.5);
    expect(k.floodPercent).toBe(16.67);
  });

  it('two operator positions halve the rate and end the flood', () => {
    const two = computeKpis(history, [], { from: 0, to, operatorPositions: 2 });
    expect([two.per10MinMax, two.per10MinAvg, two.floodPercent]).toEqual([6, 1.25, 0]);
  });

  it('top 10 most frequent, chattering, stale, shelved and out of service', () => {
    expect(k.top10.slice(0, 3)).toEqual([{ alarmId: 'door', count: 5 }, { alarmId: 'hum.h', count: 1 }, { alarmId: 'leak-0', count: 1 }]);
    expect(k.top10).toHaveLength(10);
    expect(k.chattering).toEqual([{ alarmId: 'door', maxIn60s: 4 }, { alarmId: 'temp', maxIn60s: 3 }]);
    expect(k.stale).toEqual([{ alarmId: 'old', activeSince: to - 25 * 3600_000 }]);
    expect([k.shelvedCount, k.outOfServiceCount]).toEqual([1, 1]);
  });
});
