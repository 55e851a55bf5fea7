import { describe, expect, it } from 'vitest';
import { ControlEngine, type SimAdapters } from './engine.js';
import { parseFaultSpec } from './faults.js';

function fakes() {
  const values = new Map<string, number | boolean>([['leak', false], ['temp', 20]]);
  const released: string[] = [];
  const endpoint: string[] = [];
  const sims: SimAdapters = {
    field: (t) => {
      const f = (t as { field: string }).field;
      if (!values.has(f)) throw new Error(`no field "${f}"`);
      return { get: () => values.get(f)!, set: (v) => values.set(f, v), release: () => released.push(f) };
    },
    endpoint: () => ({ down: async () => void endpoint.push('down'), up: async () => void endpoint.push('up') }),
    scenarios: () => [{ name: 's1', simulator: 'fake', description: 'd' }],
    playScenario: async (_n, o) => {
      values.set('leak', true);
      o.onRelease(() => values.set('leak', false));
      await new Promise((r) => o.signal.addEventListener('abort', r));
    },
    connections: () => ['g'],
  };
  return { values, released, endpoint, sims };
}

const modbus = (field: string) => ({ sim: 'modbus' as const, gateway: 'g', unit: 1, field });

describe('ControlEngine', () => {
  it('holds a leak, then puts the value back and releases the field', async () => {
    const f = fakes();
    const e = new ControlEngine(f.sims, { tickMs: 60_000 });
    const fault = await e.inject(parseFaultSpec({ kind: 'leak', target: modbus('leak') }));
    expect(f.values.get('leak')).toBe(true);
    expect(e.list().faults.map((x) => x.id)).toEqual([fault.id]);
    await e.clear(fault.id);
    expect(f.values.get('leak')).toBe(false);
    expect(f.released).toEqual(['leak']);
    await e.stop();
  });

  it('refuses a leak on a numeric field and an unknown field', async () => {
    const f = fakes();
    const e = new ControlEngine(f.sims, { tickMs: 60_000 });
    await expect(e.inject(parseFaultSpec({ kind: 'leak', target: modbus('temp') }))).rejects.toThrow(/needs a binary field/);
    await expect(e.inject(parseFaultSpec({ kind: 'stuck', target: modbus('nope') }))).rejects.toThrow(/no field "nope"/);
    await e.stop();
  });

  it('ramps on ticks, takes an endpoint down and up, clears itself after durationS', async () => {
    const f = fakes();
    let now = 0;
    const e = new ControlEngine(f.sims, { tickMs: 10, now: () => now });
    await e.inject(parseFaultSpec({ kind: 'ramp', target: modbus('temp'), to: 30, rampS: 10 }));
    await e.inject(parseFaultSpec({ kind: 'offline', target: { sim: 'modbus', gateway: 'g' }, durationS: 5 }));
    now = 5000;
    await new Promise((r) => setTimeout(r, 60));
    expect(f.values.get('temp')).toBe(25);
    expect(f.endpoint).toEqual(['down', 'up']);
    expect(e.list().faults).toHaveLength(1);
    await e.stop();
  });

  it('stops a scenario and hands back what it set', async () => {
    const f = fakes();
    const e = new ControlEngine(f.sims, { tickMs: 60_000 });
    const run = e.startScenario('s1');
    await new Promise((r) => setTimeout(r, 10));
    expect(f.values.get('leak')).toBe(true);
    expect(e.stopScenario(run.id).state).toBe('stopped');
    expect(f.values.get('leak')).toBe(false);
    expect(() => e.startScenario('nope')).toThrow(/unknown scenario "nope" \(known: s1\)/);
    await e.stop();
  });
});
