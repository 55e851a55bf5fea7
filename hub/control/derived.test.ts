import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { DerivedSignalRegistry } from '../../drivers/derived/signals.js';
import { zonedToUtc } from '../history/timezone.js';
import { silentLogger } from '../log.js';
import { nightFlowReading, publishDerivedSignals } from './derived.js';
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
  ])('%s', (_n, e, value, quality, detail) => {
    const r = nightFlowReading(e);
    expect(r.value).toBe(value);
    expect(r.opts).toMatchObject({ detail, ts: 5, ...(quality === 'uncertain' ? { quality } : {}) });
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
