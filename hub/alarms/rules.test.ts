import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { alarmsFileSchema } from './schema.js';
import { areaOfPoint, checkAlarmRules, compileRules, loadAlarmRules } from './rules.js';
import { pointInfo } from './test-fixtures.js';

const LEAK = 'hq/a/b1/pump-b101/leak-1/leak';
const HUM = 'hq/a/b1/archive-b103/env-1/humidity';
const MODE = 'hq/a/b1/plant-b105/ahu-1/mode';
const points = new Map<string, PointInfo>([
  [LEAK, pointInfo(LEAK, 'binary')],
  [HUM, pointInfo(HUM, 'analog', { unit: '%RH' })],
  [MODE, pointInfo(MODE, 'multistate', { states: { '0': { en: 'Off', 'zh-CN': '关' }, '1': { en: 'On', 'zh-CN': '开' }, '2': { en: 'Fault', 'zh-CN': '故障' } } })],
]);
const msg = { en: 'm {value}', 'zh-CN': '消息 {value}' };

function issues(file: unknown) {
  const parsed = alarmsFileSchema.safeParse(file);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return checkAlarmRules(parsed.data, points).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alarm rule validation', () => {
  it.each([
    ['an unknown point, with its path', { rules: [{ id: 'r', type: 'state', point: 'hq/a/b1/pump-b101/leak-9/leak', activeWhen: true, message: msg }] }, 'rules.0.point: unknown point "hq/a/b1/pump-b101/leak-9/leak"'],
    ['an unknown setpoint', { rules: [{ id: 'r', type: 'deviation', point: HUM, setpoint: 'hq/a/b1/x/y/sp', maxDeviation: 3, message: msg }] }, 'rules.0.setpoint: unknown point "hq/a/b1/x/y/sp"'],
    ['an unknown condition point', { rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg, suppressWhen: [{ type: 'point', point: 'hq/a/b1/x/y/z', equals: 1 }] }] }, 'rules.0.suppressWhen.0.point: unknown point "hq/a/b1/x/y/z"'],
    ['an unknown time window', { rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg, when: [{ type: 'time-window', window: 'nights' }] }] }, 'rules.0.when.0.window: unknown time window "nights" (define it under timeWindows)'],
    ['a limit rule on a binary point', { rules: [{ id: 'r', type: 'limit', point: LEAK, limits: { high: { value: 1 } }, message: msg }] }, `rules.0.type: a limit rule needs an analog point; "${LEAK}" is binary`],
    ['a state rule with a state the point lacks', { rules: [{ id: 'r', type: 'state', point: MODE, activeWhen: [2, 7], message: msg }] }, `rules.0.activeWhen: state 7 is not one of "${MODE}"'s states (0, 1, 2)`],
    ['a duplicate rule id', { rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg }, { id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg }] }, 'rules.1.id: duplicate rule id "r" (first at rules[0])'],
    ['limits out of order', { rules: [{ id: 'r', type: 'limit', point: HUM, limits: { high: { value: 70 }, highHigh: { value: 60 } }, message: msg }] }, 'rules.0.limits.highHigh.value: must be above high (70)'],
    ['an unknown key', { rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg, colour: 'red' }] }, 'rules.0: Unrecognized key: "colour"'],
    ['a message without zh-CN', { rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: { en: 'x' } }] }, 'rules.0.message.zh-CN: Invalid input: expected string, received undefined'],
  ])('refuses %s', (_n, file, want) => {
    expect(issues(file)).toContain(want);
  });

  it('refuses an unknown action type at load', () => {
    const r = issues({ rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg, actions: [{ type: 'sms', to: '110' }] }] });
    expect(r.some((m) => m.startsWith('rules.0.actions.0.type'))).toBe(true);
  });

  it('refuses a condition with two comparators', () => {
    const r = issues({ rules: [{ id: 'r', type: 'state', point: LEAK, activeWhen: true, message: msg, when: [{ type: 'point', point: LEAK, equals: true, above: 1 }] }] });
    expect(r).toContain('rules.0.when.0: give exactly one of equals, notEquals, above, below');
  });
});

describe('compiling rules into alarms', () => {
  it('one alarm per limit level with its own priority; area and unit from the point', () => {
    const file = alarmsFileSchema.parse({
      rules: [{ id: 'hum', type: 'limit', point: HUM, priority: 'high', deadband: 2, onDelayS: 60, limits: { highHigh: { value: 70, priority: 'critical', onDelayS: 5 }, high: { value: 60 }, low: { value: 30, deadband: 1 } }, message: msg }],
    });
    const { defs } = compileRules(file, points);
    expect(defs.map((d) => [d.id, d.priority, d.detector, d.onDelayMs, d.area, d.unit])).toEqual([
      ['hum.hh', 'critical', { kind: 'limit', direction: 'high', value: 70, deadband: 2 }, 5000, 'a/b1/archive-b103', '%RH'],
      ['hum.h', 'high', { kind: 'limit', direction: 'high', value: 60, deadband: 2 }, 60_000, 'a/b1/archive-b103', '%RH'],
      ['hum.l', 'high', { kind: 'limit', direction: 'low', value: 30, deadband: 1 }, 60_000, 'a/b1/archive-b103', '%RH'],
    ]);
    expect(defs[0].escalateMs).toBe(5 * 60_000);
    expect(defs[0].maxShelveMs).toBe(480 * 60_000);
  });

  it('comm-fail "longer than N s" becomes the on-delay; conditions make dependencies', () => {
    const file = alarmsFileSchema.parse({
      rules: [
        { id: 'c', type: 'comm-fail', point: LEAK, afterS: 30, message: msg },
        { id: 'd', type: 'state', point: LEAK, activeWhen: true, message: msg, area: 'a/b1', suppressWhen: [{ type: 'point', point: MODE, equals: 0 }] },
      ],
    });
    const [c, d] = compileRules(file, points).defs;
    expect(c.onDelayMs).toBe(30_000);
    expect(c.escalateMs).toBe(0); // medium: no escalation
    expect(d.dependsOn).toEqual([MODE]);
    expect(d.area).toBe('a/b1');
  });

  it('derives the area from the point id', () => {
    expect(areaOfPoint('hq/a/l03/archive-303/env-1/humidity')).toBe('a/l03/archive-303');
  });
});

describe('loadAlarmRules', () => {
  let dir = '';
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('names the file and the path of every problem', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-alarms-'));
    fs.writeFileSync(path.join(dir, 'alarms.yaml'), `rules:\n  - { id: a, type: state, point: ${LEAK}, activeWhen: true, message: { en: a, zh-CN: a } }\n  - { id: b, type: state, point: hq/a/b1/nowhere/x/y, activeWhen: true, message: { en: b, zh-CN: b } }\n`);
    const err = (() => { try { loadAlarmRules(dir, points); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('alarms.yaml: rules[1].point: unknown point "hq/a/b1/nowhere/x/y"');
  });

  it('reports YAML syntax errors with the line', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-alarms-'));
    fs.writeFileSync(path.join(dir, 'alarms.yaml'), 'rules:\n  - id: a\n   type: [\n');
    expect(() => loadAlarmRules(dir, points)).toThrow(/alarms\.yaml: line \d+/);
  });

  it('no file means no rules', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-alarms-'));
    expect(loadAlarmRules(dir, points).defs).toEqual([]);
  });

  it('the demo config/alarms.yaml is valid against the demo site', () => {
    const config = loadConfig(path.resolve('config'));
    const all = new Map(config.points.map((p) => [p.info.id, p.info]));
    const compiled = loadAlarmRules(config.dir, all);
    expect(compiled.defs.length).toBeGreaterThan(15);
    expect(compiled.defs.find((d) => d.id === 'leak-pump-b101')).toMatchObject({ priority: 'critical', latching: true, area: 'a/b1/pump-b101' });
  });
});
