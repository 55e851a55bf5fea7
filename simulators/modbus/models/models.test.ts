// Device behaviour over simulated time, driven through a gateway without any network.
import { describe, expect, it } from 'vitest';
import { SimGateway } from '../gateway.js';
import { parseSimSpec } from '../spec.js';
import { isOfficeHours, shanghaiTime } from './clock.js';
import { dewPoint } from './env-sensor.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const WEDNESDAY_10AM = Date.UTC(2025, 2, 5, 2, 0, 0); // 10:00 in Shanghai
const WEDNESDAY_11PM = Date.UTC(2025, 2, 5, 15, 0, 0); // 23:00 in Shanghai
const SATURDAY_10AM = Date.UTC(2025, 2, 8, 2, 0, 0);

const name = (en: string) => ({ en, 'zh-CN': en });

function floor(now: number) {
  const spec = parseSimSpec({
    building: 'a',
    gateways: [{
      id: 'gw', floor: 'l09', port: 1,
      units: [
        { unit: 1, model: 'power-meter', device: 'meter', room: 'r', options: { dayKw: 30, nightKw: 5, lightingUnit: 2, initialKwh: 1000 } },
        { unit: 2, model: 'lighting-panel', device: 'lp', room: 'r', options: { circuits: [
          { id: 'corridor', name: name('Corridor'), ratedA: 3, alwaysOn: true },
          { id: 'office', name: name('Office'), ratedA: 4, dimmable: true },
        ] } },
        { unit: 3, model: 'leak-sensor', device: 'leak', room: 'r', options: {} },
        { unit: 4, model: 'water-meter', device: 'water', room: 'r', options: { dayM3h: 5, nightM3h: 0.5, leakUnit: 3 } },
        { unit: 5, model: 'door-contact', device: 'door', room: 'r', options: { traffic: 'secure' } },
        { unit: 6, model: 'window-contacts', device: 'windows', room: 'r', options: { windows: [{ id: 'window-1', name: name('W1') }] } },
        { unit: 7, model: 'env-sensor', device: 'env', room: 'r', options: { temperature: 22, humidity: 50 } },
      ],
    }],
  });
  return new SimGateway(spec.gateways[0], () => now, silent);
}

describe('clock', () => {
  it.each([
    { at: WEDNESDAY_10AM, hour: 10, weekday: 3, office: true },
    { at: WEDNESDAY_11PM, hour: 23, weekday: 3, office: false },
    { at: SATURDAY_10AM, hour: 10, weekday: 6, office: false },
    { at: Date.UTC(2025, 2, 5, 0, 0, 0), hour: 8, weekday: 3, office: true },
    { at: Date.UTC(2025, 2, 5, 9, 59, 0), hour: 17 + 59 / 60, weekday: 3, office: true },
    { at: Date.UTC(2025, 2, 5, 10, 0, 0), hour: 18, weekday: 3, office: false },
    { at: Date.UTC(2025, 2, 9, 16, 30, 0), hour: 0.5, weekday: 1, office: false }, // Sunday 16:30 UTC = Monday 00:30
  ])('$at → hour $hour weekday $weekday office $office', ({ at, hour, weekday, office }) => {
    const t = shanghaiTime(at);
    expect(t.hour).toBeCloseTo(hour, 6);
    expect(t.weekday).toBe(weekday);
    expect(isOfficeHours(t)).toBe(office);
  });
});

describe('power meter and lighting panel', () => {
  it('draws the office load plus the lights in office hours, and settles to the night load after hours', () => {
    const day = floor(WEDNESDAY_10AM);
    const lp = day.unit(2);
    expect(lp.get('corridor')).toBe(true);
    expect(lp.get('office')).toBe(true); // lit at start-up in office hours
    const lightingKw = lp.get('panel-kw') as number;
    expect(lightingKw).toBeCloseTo(((3 + 4 * (0.1 + 0.9 * 0.8)) * 220 * 0.95) / 1000, 1);
    expect(day.unit(1).get('kw') as number).toBeCloseTo(30 + lightingKw, 0);

    const night = floor(WEDNESDAY_11PM);
    expect(night.unit(2).get('office')).toBe(false);
    for (let i = 0; i < 120; i++) night.step(60); // two simulated hours
    expect(night.unit(1).get('kw') as number).toBeGreaterThan(5);
    expect(night.unit(1).get('kw') as number).toBeLessThan(7.5);
    expect(night.unit(1).get('pf') as number).toBeLessThan(0); // capacitive at night
    expect(night.unit(1).get('kvar') as number).toBeLessThan(0);
  });

  it('integrates energy: one simulated hour at ~31.6 kW adds ~31.6 kWh', () => {
    const gw = floor(WEDNESDAY_10AM);
    const before = gw.unit(1).get('kwh') as number;
    for (let i = 0; i < 60; i++) gw.step(60);
    expect((gw.unit(1).get('kwh') as number) - before).toBeGreaterThan(28);
    expect((gw.unit(1).get('kwh') as number) - before).toBeLessThan(35);
  });

  it('a dark panel (mains lost) draws nothing, and a phase loss zeroes L3', () => {
    const gw = floor(WEDNESDAY_10AM);
    gw.unit(2).set('mains-ok', false);
    gw.unit(1).set('phase-loss', true);
    gw.step(1);
    expect(gw.unit(2).get('corridor-current')).toBe(0);
    expect(gw.unit(2).get('panel-kw')).toBe(0);
    expect(gw.unit(1).get('voltage-l3')).toBe(0);
    expect(gw.unit(1).get('current-l3')).toBe(0);
    expect(gw.unit(1).get('current-l1') as number).toBeGreaterThan(0);
  });
});

describe('water meter, doors, windows, environment', () => {
  it('a wet leak sensor on the supply adds the burst flow', () => {
    const gw = floor(WEDNESDAY_10AM);
    const dry = gw.unit(4).get('flow') as number;
    gw.unit(3).set('leak', true);
    gw.step(0);
    expect((gw.unit(4).get('flow') as number) - dry).toBeCloseTo(4, 1);
  });

  it('a door held open past 60 s raises held-open; a secure door never opens by itself at night', () => {
    const night = floor(WEDNESDAY_11PM);
    for (let i = 0; i < 600; i++) night.step(10);
    expect(night.unit(5).get('open')).toBe(false);
    expect(night.unit(6).get('window-1')).toBe(false);
    night.unit(5).set('open', true);
    night.step(30);
    expect(night.unit(5).get('held-open')).toBe(false);
    night.step(31);
    expect(night.unit(5).get('held-open')).toBe(true);
  });

  it('keeps the dew point consistent with temperature and humidity', () => {
    const gw = floor(WEDNESDAY_10AM);
    expect(dewPoint(22, 50)).toBeCloseTo(11.1, 0);
    gw.step(600);
    const t = gw.unit(7).get('temperature') as number;
    expect(Math.abs(t - 22)).toBeLessThan(1);
    expect(gw.unit(7).get('dew-point') as number).toBeCloseTo(dewPoint(t, gw.unit(7).get('humidity') as number), 6);
  });
});
