import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { faultValue, flapDown, parseFaultSpec } from '../../simulators/control/faults.js';
import { checkInput, globMatch, isSafetyCritical, testValueFor, unitProblem } from './plausibility.js';
import { renderJunit } from './report.js';
import { connectionRefusal } from './targets.js';

const info = (o: Partial<PointInfo>): PointInfo => ({ id: 'hq/a/l03/office-301/env-1/temperature', name: { en: 'n', 'zh-CN': 'n' }, kind: 'analog', writable: false, device: 'env-1', protocol: 'modbus', intervalMs: 1000, ...o });

describe('checkout plausibility', () => {
  it.each([
    ['live and in range', info({ unit: '°C', brick: 'Zone_Air_Temperature_Sensor', limits: { min: 0, max: 50 } }), { value: 22, quality: 'good', readTs: 1000 }, true, /live, 22 °C/],
    ['no reading', info({}), undefined, false, /no reading yet/],
    ['comm_fail', info({}), { value: 22, quality: 'comm_fail', readTs: 1000 }, false, /quality comm_fail/],
    ['stale', info({}), { value: 22, quality: 'good', readTs: -60_000 }, false, /stale/],
    ['out of range', info({ limits: { min: 0, max: 50 } }), { value: 80, quality: 'good', readTs: 1000 }, false, /outside 0\.\.50/],
    ['implausible unit', info({ unit: 'kW', brick: 'Zone_Air_Temperature_Sensor' }), { value: 22, quality: 'good', readTs: 1000 }, false, /not plausible/],
    ['binary not boolean', info({ kind: 'binary' }), { value: 1, quality: 'good', readTs: 1000 }, false, /not on\/off/],
  ] as const)('%s', (_w, i, st, ok, detail) => {
    const v = checkInput(i, st ? { id: i.id, changedTs: 0, ...st } as never : undefined, 2000);
    expect(v.ok).toBe(ok);
    expect(v.detail).toMatch(detail);
  });

  it.each([
    [{ kind: 'binary' }, true, false],
    [{ kind: 'analog', limits: { min: 0, max: 100 } }, 50, 55],
    [{ kind: 'analog', limits: { min: 0, max: 100 } }, 100, 95],
    [{ kind: 'multistate', states: { 1: { en: 'a', 'zh-CN': 'a' }, 2: { en: 'b', 'zh-CN': 'b' } } }, 1, 2],
    [{ kind: 'string' }, 'x', null],
  ] as const)('test value for %j from %j → %j', (o, cur, want) => {
    expect(testValueFor(info(o as Partial<PointInfo>), cur)).toEqual(want);
  });

  it.each([
    [{ kind: 'binary', unit: 'V' }, /binary point with unit/],
    [{ brick: 'Power_Factor_Sensor' }, null],
    [{ brick: 'Zone_Air_Humidity_Sensor', unit: '%' }, null],
    [{ brick: 'Electric_Power_Sensor' }, /has no unit/],
  ] as const)('unit of %j', (o, want) => {
    const p = unitProblem(info(o as Partial<PointInfo>));
    if (want === null) expect(p).toBeNull();
    else expect(p).toMatch(want);
  });

  it('safety: security points and globs', () => {
    expect(isSafetyCritical({ id: 'hq/a/b1/archive-b103/door-1/unlock', device: 'door-1' }, [])).toBe(true);
    expect(isSafetyCritical({ id: 'hq/a/l05/server-501/crac-1/setpoint', device: 'crac-1' }, ['hq/a/l05/server-501/crac-1/**'])).toBe(true);
    expect(isSafetyCritical({ id: 'hq/a/l02/office-201/vav-201/zone-temp-sp', device: 'vav-201' }, ['hq/a/*/*/*/fire-*'])).toBe(false);
    expect(globMatch('hq/a/*/*/*/fire-*', 'hq/a/l01/lobby/panel/fire-alarm')).toBe(true);
  });
});

describe('faults', () => {
  it.each([
    [{ kind: 'step', value: 5 }, 1, 10, 5],
    [{ kind: 'leak' }, false, 0, true],
    [{ kind: 'stuck' }, 21.5, 99, 21.5],
    [{ kind: 'ramp', to: 30, rampS: 10 }, 20, 5, 25],
    [{ kind: 'ramp', to: 30, rampS: 10 }, 20, 50, 30],
    [{ kind: 'noise', amplitude: 2 }, 20, 1, 21],
  ] as const)('%j from %j at %d s → %j', (f, base, t, want) => {
    expect(faultValue(f as never, base, t, 0.75)).toBe(want);
  });
  it('flaps down, up, down', () => {
    expect([0, 1.9, 2, 3.9, 4].map((t) => flapDown(t, 2))).toEqual([true, true, false, false, true]);
  });
  it.each([
    [{ kind: 'step', target: { sim: 'modbus', gateway: 'g', unit: 1, field: 'x' } }, /value: step needs a value/],
    [{ kind: 'leak', target: { sim: 'modbus', gateway: 'g' } }, /target: leak needs a field/],
    [{ kind: 'dead-camera', target: { sim: 'opcua' } }, /dead-camera needs an onvif camera/],
    [{ kind: 'flood', target: { sim: 'history' } }, /kind/],
  ])('refuses %j', (spec, re) => {
    expect(() => parseFaultSpec(spec)).toThrow(re);
  });
});

describe('connectionRefusal', () => {
  const sim = new Set(['modbus-gw-b1', 'opcua-hvac']);
  it.each([
    [{ id: 'modbus-gw-b1', protocol: 'modbus', options: { host: '127.0.0.1', port: 15021 } }, [], null],
    [{ id: 'opcua-hvac', protocol: 'opcua', options: { endpointUrl: 'opc.tcp://localhost:4840' } }, [], null],
    [{ id: 'modbus-gw-b1', protocol: 'modbus', options: { host: '10.0.3.20', port: 502 } }, [], /points at 10\.0\.3\.20, not at the simulators/],
    [{ id: 'gw-real', protocol: 'modbus', options: { host: '127.0.0.1' } }, [], /is not simulated/],
    [{ id: 'gw-real', protocol: 'modbus', options: { host: '10.0.0.1' } }, ['gw-real'], null],
  ] as const)('%j allowed %j', (c, allowed, want) => {
    const r = connectionRefusal(c, sim, allowed);
    if (want === null) expect(r).toBeNull();
    else expect(r).toMatch(want);
  });
});

describe('renderJunit', () => {
  it('counts, escapes and reports failures and errors', () => {
    const x = renderJunit([
      { name: 's<1>', description: 'd', file: 'f.yaml', startedAt: 0, ms: 1500, timeline: [], screenshots: [], cases: [{ name: 'alarm "a" & b', ok: true, ms: 100, limitMs: 1000, detail: 'ok' }, { name: 'pa', ok: false, ms: 1000, limitMs: 1000, detail: 'no broadcast\u0001' }] },
      { name: 's2', description: 'd', file: 'g.yaml', startedAt: 0, ms: 10, timeline: [], screenshots: [], cases: [], error: 'sign-in failed' },
    ]);
    expect(x).toContain('<testsuites name="watchfloor-testruns" tests="3" failures="1" errors="1" time="1.510">');
    expect(x).toContain('name="s&lt;1&gt;"');
    expect(x).toContain('name="alarm &quot;a&quot; &amp; b"');
    expect(x).toContain('<failure message="no broadcast">');
    expect(x).toContain('<error message="sign-in failed"/>');
  });
});
