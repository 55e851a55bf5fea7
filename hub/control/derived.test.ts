import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PointInfo, PointValue, Quality } from '../../contracts/point.js';
import { DerivedSignalRegistry } from '../../drivers/derived/signals.js';
import { zonedToUtc } from '../../contracts/timezone.js';
import { silentLogger } from '../log.js';
import { PointStore } from '../state.js';
import { buildCalendar } from './calendar.js';
import { openControlDb, PriorityRepo } from './db.js';
import { nightFlowReading, publishDerivedSignals } from './derived.js';
import { LightingController, type LampFaultEvent } from './lighting.js';
import { lightingFileSchema } from './lighting-schema.js';
import { PriorityService } from './priority-service.js';
import { DEFAULT_NIGHT_FLOW, type NightFlowResult } from './energy.js';
import { isWaterFlowMeter, WaterWatch, type LeakEvent } from './water.js';

const TZ = 'Asia/Shanghai';
const METER = 'hq/a/b1/pump-b101/water-main/flow';
const at = (h: number, m = 0) => zonedToUtc(TZ, 2026, 3, 17, 0) + (h * 60 + m) * 60_000;
const ev = (result: Partial<NightFlowResult>): LeakEvent => ({ meter: METER, date: '2026-03-17', ts: 5, result: { verdict: 'ok', samples: 240, minFlow: 0, meanFlow: 0.1, minimumLossM3: 0, ...result } });

describe('night-flow verdict → derived value', () => {
  it.each([
    ['a suspected leak is true', ev({ verdict: 'leak-suspected', minFlow: 0.4, minimumLossM3: 1.6 }), true, 'good', 'night of 2026-03-17: flow never dropped to zero, lowest flow 0.4 m³/h (≥ 1.6 m³ lost)'],
    ['a sound night is false', ev({}), false, 'good', 'night of 2026-03-17: flow dropped to zero, lowest flow 0 m³/h'],
    ['no verdict is unknown, not false', ev({ verdict: 'insufficient-data', samples: 3, minFlow: null }), null, 'uncertain', 'night of 2026-03-17: only 3 readings, no verdict'],
    ['a sound night with holes in the data is not certain',
      ev({ gaps: [{ from: Date.UTC(2026, 2, 16, 18, 10), to: Date.UTC(2026, 2, 16, 19, 40) }], missingMin: 90 }), false, 'uncertain',
      'night of 2026-03-17: flow dropped to zero, lowest flow 0 m³/h; not certain: 90 min of the night without readings (comm_fail or gaps, 1 stretch, the first 2026-03-16T18:10:00.000Z – 2026-03-16T19:40:00.000Z)'],
    ['a leak seen through a comm_fail stretch is not certain either',
      ev({ verdict: 'leak-suspected', minFlow: 0.4, minimumLossM3: 1.6, gaps: [{ from: 1, to: 2 }, { from: 3, to: 4 }], missingMin: 30 }), true, 'uncertain',
      expect.stringContaining('not certain: 30 min of the night without readings (comm_fail or gaps, 2 stretches')],
  ])('%s', (_n, e, value, quality, detail) => {
    const r = nightFlowReading(e);
    expect(r.value).toBe(value);
    expect(r.opts).toMatchObject({ detail, ts: 5, ...(quality === 'uncertain' ? { quality } : {}) });
    if (quality === 'good') expect(r.opts.quality).toBeUndefined();
  });
});

describe('publishDerivedSignals', () => {
  const meter = { id: METER, kind: 'analog', unit: 'm³/h', brick: 'Water_Flow_Sensor', protocol: 'modbus' } as PointInfo;

  it('tells water meters from air-flow sensors that share the unit', () => {
    expect(isWaterFlowMeter(meter)).toBe(true);
    expect(isWaterFlowMeter({ ...meter, brick: 'Supply_Air_Flow_Sensor' })).toBe(false);
    expect(isWaterFlowMeter({ ...meter, protocol: 'derived' })).toBe(false);
  });

  it('publishes "no night yet", then each nightly verdict, and withdraws on close', () => {
    const clock = { t: at(0) };
    const reg = new DerivedSignalRegistry(() => clock.t);
    const water = new WaterWatch([meter], { ...DEFAULT_NIGHT_FLOW, timezone: TZ, now: () => clock.t, audit: { record() {} }, log: silentLogger() });
    const pub = publishDerivedSignals({ lighting: null, zones: [], water, registry: reg, now: () => clock.t });
    expect(reg.producer('lamp-fault')).toBeUndefined(); // no lighting configured: nothing claims lamp faults
    expect(reg.reading('night-flow-leak', METER)).toMatchObject({ value: null, quality: 'uncertain', detail: expect.stringContaining('no night evaluated yet') });
    for (let m = 0; m <= 5 * 60; m++) {
      clock.t = at(0, m);
      water.onIngest({ samples: [{ pointId: METER, value: 0.4, quality: 'good', readTs: clock.t }], changed: [] });
      water.tick();
    }
    expect(reg.reading('night-flow-leak', METER)).toMatchObject({ value: true, quality: 'good', detail: expect.stringContaining('never dropped to zero') });
    pub.close();
    expect(reg.producer('night-flow-leak')).toBeUndefined();
  });
});

describe('night-flow verdict with the meter in comm_fail for part of the night', () => {
  const meter = { id: METER, kind: 'analog', unit: 'm³/h', brick: 'Water_Flow_Sensor', protocol: 'modbus', intervalMs: 1000 } as PointInfo;
  it('is published uncertain, naming the missing readings', () => {
    const clock = { t: at(0) };
    const reg = new DerivedSignalRegistry(() => clock.t);
    const water = new WaterWatch([meter], { ...DEFAULT_NIGHT_FLOW, timezone: TZ, now: () => clock.t, audit: { record() {} }, log: silentLogger() });
    publishDerivedSignals({ lighting: null, zones: [], water, registry: reg, now: () => clock.t });
    for (let m = 0; m <= 5 * 60; m++) {
      clock.t = at(0, m);
      // 02:00–03:00 the meter is in comm_fail: one comm_fail sample, then silence.
      if (m === 120) water.onIngest({ samples: [{ pointId: METER, value: null, quality: 'comm_fail', readTs: clock.t }], changed: [] });
      else if (m < 120 || m >= 180) water.onIngest({ samples: [{ pointId: METER, value: m === 60 ? 0 : 0.4, quality: 'good', readTs: clock.t }], changed: [] });
      water.tick();
    }
    expect(water.latest.get(METER)?.result).toMatchObject({ verdict: 'ok', gaps: [{ from: at(1, 59), to: at(3) }], missingMin: 61 });
    expect(reg.reading('night-flow-leak', METER)).toMatchObject({ value: false, quality: 'uncertain', detail: expect.stringContaining('61 min of the night without readings') });
  });
});

describe('derived lamp-fault points from live data only', () => {
  const CIRCUIT = 'hq/a/l02/weak-205/lighting-l02/office-202';
  const CURRENT = `${CIRCUIT}-current`;
  const infos = [
    { id: CIRCUIT, kind: 'binary', protocol: 'modbus', intervalMs: 1000, writable: true },
    { id: CURRENT, kind: 'analog', protocol: 'modbus', intervalMs: 1000, writable: false },
  ] as PointInfo[];

  it('publishes uncertain, naming the input, while the circuit or its current is not good; raises and clears only on good data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-lamp-'));
    const db = openControlDb(dir);
    try {
      const clock = { t: at(20) };
      const store = new PointStore(infos, silentLogger(), () => clock.t);
      const feed = (id: string, quality: Quality, value: PointValue = null) => store.apply([{ pointId: id, value, quality, readTs: clock.t }]);
      const audit = { record() {} };
      const priority = new PriorityService({ points: new Map(infos.map((i) => [i.id, i])), store, repo: new PriorityRepo(db), audit, log: silentLogger(), now: () => clock.t, defaultManualExpiryMin: 120, roleOf: () => undefined });
      const file = lightingFileSchema.parse({ sweep: { enabled: false, at: '20:00', kinds: ['office'] }, zones: [{ id: 'l02-office-202', floor: 'hq/a/l02', kind: 'office', circuit: CIRCUIT, current: CURRENT }] });
      const lighting = new LightingController({ file, calendar: buildCalendar({ holidays: [], workdays: [] }), timezone: TZ, now: () => clock.t, sleep: async () => {}, store, priority, audit, log: silentLogger() });
      const faults: LampFaultEvent[] = [];
      lighting.onLampFault((e) => faults.push(e));
      const reg = new DerivedSignalRegistry(() => clock.t);
      publishDerivedSignals({ lighting, zones: file.zones, water: new WaterWatch([], { ...DEFAULT_NIGHT_FLOW, timezone: TZ, now: () => clock.t, audit, log: silentLogger() }), registry: reg, now: () => clock.t });
      const reading = () => reg.reading('lamp-fault', CIRCUIT);
      const step = (sec: number) => {
        clock.t += sec * 1000;
        lighting.tick();
      };

      // Before the panel answered at all: no verdict to claim.
      expect(reading()).toMatchObject({ value: false, quality: 'uncertain', detail: expect.stringContaining(`circuit ${CIRCUIT} has no reading yet`) });
      feed(CIRCUIT, 'good', true);
      feed(CURRENT, 'good', 2.4);
      step(1);
      expect(reading()).toMatchObject({ value: false, quality: 'good' });

      // The panel drops out: QA saw "no fault, good" here.
      feed(CIRCUIT, 'comm_fail');
      feed(CURRENT, 'comm_fail');
      step(1);
      expect(reading()).toMatchObject({ value: false, quality: 'uncertain', detail: `no current lamp-fault verdict: circuit ${CIRCUIT} is comm_fail; current ${CURRENT} is comm_fail (last verdict: no fault)` });
      step(60);
      expect(faults).toEqual([]); // dead data raises nothing

      // Back, on and dark: a fault after forSec of good data.
      feed(CIRCUIT, 'good', true);
      feed(CURRENT, 'good', 0);
      step(1);
      expect(reading()).toMatchObject({ value: false, quality: 'good' });
      step(31);
      expect(faults.map((f) => f.fault)).toEqual([true]);
      expect(reading()).toMatchObject({ value: true, quality: 'good', detail: expect.stringContaining('call the maintainer') });

      // The current goes stale: the fault is kept (not cleared by dead data), but not claimed as current.
      feed(CURRENT, 'stale', 0);
      step(1);
      expect(reading()).toMatchObject({ value: true, quality: 'uncertain', detail: `no current lamp-fault verdict: current ${CURRENT} is stale (last verdict: fault)` });
      feed(CIRCUIT, 'good', false);
      step(5);
      expect(faults.map((f) => f.fault)).toEqual([true]);
      feed(CURRENT, 'good', 0);
      step(1);
      expect(faults.map((f) => f.fault)).toEqual([true, false]); // switched off, on good data: cleared
      expect(reading()).toMatchObject({ value: false, quality: 'good' });
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
