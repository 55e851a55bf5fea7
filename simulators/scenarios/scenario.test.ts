import { describe, expect, it } from 'vitest';
import { type ScenarioTarget, checkScenario, loadScenario, parseDuration, parseScenario, playScenario } from './scenario.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    [45, 45_000],
  ] as const)('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', 'soon', '-5s', '1d'])('refuses %s', (text) => {
    expect(() => parseDuration(text)).toThrow(/not like 500ms, 30s, 2m or 1h/);
  });
});

describe('parseScenario', () => {
  it('sorts steps by time', () => {
    const s = parseScenario('name: x\ndescription: y\nsteps:\n  - { at: 2m, gateway: g, unit: 1, set: { a: 1 } }\n  - { at: 5s, gateway: g, unit: 1, set: { a: 2 } }\n', 'x.yaml');
    expect(s.steps.map((st) => st.at)).toEqual([5000, 120_000]);
  });

  it.each([
    { yaml: 'name: x\ndescription: y\nsteps:\n  - { at: soon, gateway: g, unit: 1, set: { a: 1 } }\n', error: /x.yaml: steps\[0\].at: duration "soon"/ },
    { yaml: 'name: x\ndescription: y\nsteps:\n  - { at: 1s, gateway: g, unit: 1 }\n', error: /steps\[0\]: a step needs set or release/ },
    { yaml: 'name: x\ndescription: y\nsteps:\n  - { at: 1s, gateway: g, unit: 1, set: { a: 1 }, colour: red }\n', error: /steps\[0\]: Unrecognized key.*colour/ },
    { yaml: 'name: x\nsteps: []\n', error: /description/ },
    { yaml: 'name: [unclosed', error: /x.yaml: / },
  ])('names the file and the place of a mistake: $error', ({ yaml, error }) => {
    expect(() => parseScenario(yaml, 'x.yaml')).toThrow(error);
  });
});

/** A target with one gateway "g", unit 1, fields a (number) and b (boolean); records what was set. */
function recordingTarget() {
  const values: Record<string, number | boolean> = { a: 0, b: false };
  const log: string[] = [];
  const target: ScenarioTarget = {
    check(gateway, unit, field, value) {
      if (gateway !== 'g' || unit !== 1) throw new Error(`no unit ${gateway}/${unit}`);
      if (!(field in values)) throw new Error(`no field ${field}`);
      if (value !== undefined && typeof value !== typeof values[field]) throw new Error(`${field} takes a ${typeof values[field]}`);
    },
    set(_g, _u, field, value) {
      values[field] = value;
      log.push(`set ${field}=${value}`);
    },
    release(_g, _u, field) {
      log.push(`release ${field}`);
    },
  };
  return { target, values, log };
}

describe('playScenario', () => {
  it('checks every step before playing any, listing all problems', () => {
    const { target, log } = recordingTarget();
    const s = parseScenario('name: x\ndescription: y\nsteps:\n  - { at: 0s, gateway: g, unit: 1, set: { a: 1 } }\n  - { at: 1s, gateway: g, unit: 2, set: { a: 1 } }\n  - { at: 2s, gateway: g, unit: 1, set: { b: 3 } }\n', 'x.yaml');
    expect(() => checkScenario(s, target)).toThrow(/steps\[1\] \(at 1s\): no unit g\/2; steps\[2\] \(at 2s\): b takes a boolean/);
    return expect(playScenario(s, target)).rejects.toThrow(/no unit/).then(() => expect(log).toEqual([]));
  });

  it('plays steps in order, scaled in time, then resolves', async () => {
    const { target, values, log } = recordingTarget();
    const s = parseScenario('name: x\ndescription: y\nsteps:\n  - { at: 20s, gateway: g, unit: 1, release: [a] }\n  - { at: 10s, gateway: g, unit: 1, set: { a: 7, b: true } }\n', 'x.yaml');
    await playScenario(s, target, { timeScale: 1000 });
    expect(log).toEqual(['set a=7', 'set b=true', 'release a']);
    expect(values).toEqual({ a: 7, b: true });
  });

  it('stops when aborted, before the remaining steps', async () => {
    const { target, log } = recordingTarget();
    const s = parseScenario('name: x\ndescription: y\nsteps:\n  - { at: 0s, gateway: g, unit: 1, set: { a: 1 } }\n  - { at: 1h, gateway: g, unit: 1, set: { a: 2 } }\n', 'x.yaml');
    const ctl = new AbortController();
    const played = playScenario(s, target, { signal: ctl.signal, onStep: () => ctl.abort() });
    await expect(played).rejects.toThrow(/aborted/);
    expect(log).toEqual(['set a=1']);
  });
});

describe('shipped scenarios', () => {
  it.each(['leak-b1', 'door-forced-night', 'lights-left-on'])('%s parses', (name) => {
    const s = loadScenario(name);
    expect(s.name).toBe(name);
    expect(s.steps.length).toBeGreaterThan(0);
  });

  it('leak-b1 wets the pump-room sensor at 30 s', () => {
    const first = loadScenario('leak-b1').steps[0];
    expect(first).toMatchObject({ at: 30_000, gateway: 'modbus-gw-b1', unit: 3, set: { leak: true } });
  });
});
