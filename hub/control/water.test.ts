import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import type { AuditEntry } from '../module.js';
import { zonedToUtc } from '../../contracts/timezone.js';
import { silentLogger } from '../log.js';
import { DEFAULT_NIGHT_FLOW } from './energy.js';
import { WaterWatch, type LeakEvent } from './water.js';

const TZ = 'Asia/Shanghai';
const METER = 'hq/a/b1/pump-b101/water-main/flow';
const info = { id: METER, kind: 'analog', unit: 'm³/h' } as PointInfo;
const at = (h: number, m = 0) => zonedToUtc(TZ, 2026, 3, 17, 0) + (h * 60 + m) * 60_000;

function watch(clock: { t: number }) {
  const audit: AuditEntry[] = [];
  const w = new WaterWatch([info], { ...DEFAULT_NIGHT_FLOW, timezone: TZ, now: () => clock.t, audit: { record: (e) => audit.push({ ts: 0, ...e }) }, log: silentLogger() });
  const events: LeakEvent[] = [];
  w.onLeakSuspected((e) => events.push(e));
  return { w, audit, events };
}

describe('WaterWatch (the periodic night-flow job)', () => {
  it('raises a suspected leak once, after the night window, when the flow never reached zero', () => {
    const clock = { t: at(0) };
    const { w, audit, events } = watch(clock);
    // A scripted night from the sample bus: 0.4 m³/h all night, one reading a minute.
    for (let m = 0; m < 6 * 60; m++) {
      clock.t = at(0, m);
      w.onIngest({ samples: [{ pointId: METER, value: 0.4 + (m % 3) * 0.01, quality: 'good', readTs: clock.t }], changed: [] });
      expect(w.tick()).toEqual(m >= 300 ? expect.anything() : []); // nothing before 05:00
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ meter: METER, date: '2026-03-17', result: { verdict: 'leak-suspected', minFlow: 0.4 } });
    expect(audit.map((a) => a.action)).toEqual(['water.leak-suspected']);
    clock.t = at(9);
    expect(w.tick()).toEqual([]); // once per day
  });

  it('stays quiet when the night flow drops to zero', () => {
    const clock = { t: at(0) };
    const { w, events } = watch(clock);
    for (let m = 0; m < 6 * 60; m++) {
      clock.t = at(0, m);
      const value = m >= 120 && m < 150 ? 0 : 0.4; // 02:00–02:30 nothing runs
      w.onIngest({ samples: [{ pointId: METER, value, quality: 'good', readTs: clock.t }], changed: [] });
    }
    expect(w.tick()[0].result.verdict).toBe('ok');
    expect(events).toEqual([]);
  });
});
