// The hub's priority levels passed through to the panel's own priority array (contracts/driver.ts
// WriteOptions), against the simulated panel over real UDP on loopback. Each case is a sequence of
// commands (value at a level) and releases (relinquish at a level); after every step the device's
// slots, its present value and what the driver's read-back reported are checked.
import { afterEach, describe, expect, it } from 'vitest';
import type { WriteResult } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { startBacnetSimulator, TYPE_NAMES } from '../../simulators/bacnet/index.js';
import { SimulatedDevice } from '../../simulators/bacnet/device.js';
import { BacObject, OT } from '../../simulators/bacnet/objects.js';
import { BacnetDriver } from './driver.js';
import { bacnetPoint, bacnetRig } from './test-support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Step =
  | { command: PointValue; at: number; expect: { slots: Record<number, number>; pv: number; confirmed: boolean; detail?: string } }
  | { release: number; expect: { slots: Record<number, number>; pv: number; confirmed: boolean; detail?: string } };

interface Case {
  name: string;
  object: `${keyof typeof TYPE_NAMES}:${number}`;
  /** The simulated object's Relinquish_Default, in device units (binary: 1 = active). */
  relinquishDefault: number;
  steps: Step[];
}

// Binary values go over the wire as 0/1 and come back as booleans; slots and pv are in device units.
const CASES: Case[] = [
  {
    name: 'analog value: 8 then 5, release 5 falls back to 8, release 8 to Relinquish_Default',
    object: 'analog-value:1012',
    relinquishDefault: 24,
    steps: [
      { command: 21, at: 8, expect: { slots: { 8: 21 }, pv: 21, confirmed: true } },
      { command: 26, at: 5, expect: { slots: { 5: 26, 8: 21 }, pv: 26, confirmed: true } },
      { release: 5, expect: { slots: { 8: 21 }, pv: 21, confirmed: true, detail: 'priority 5 relinquished' } },
      { release: 8, expect: { slots: {}, pv: 24, confirmed: true, detail: 'priority 8 relinquished' } },
    ],
  },
  {
    name: 'analog output: releasing the lower level first leaves the winner alone',
    object: 'analog-output:1014',
    relinquishDefault: 45,
    steps: [
      { command: 60, at: 16, expect: { slots: { 16: 60 }, pv: 60, confirmed: true } },
      { command: 80, at: 8, expect: { slots: { 8: 80, 16: 60 }, pv: 80, confirmed: true } },
      { release: 16, expect: { slots: { 8: 80 }, pv: 80, confirmed: true } },
      { release: 8, expect: { slots: {}, pv: 45, confirmed: true } },
    ],
  },
  {
    name: 'binary output: a weaker command is stored in its slot but not confirmed as the present value',
    object: 'binary-output:106',
    relinquishDefault: 1,
    steps: [
      { command: false, at: 5, expect: { slots: { 5: 0 }, pv: 0, confirmed: true } },
      { command: true, at: 12, expect: { slots: { 5: 0, 12: 1 }, pv: 0, confirmed: false, detail: 'priority 5 (false) outranks priority 12 on the device' } },
      { release: 5, expect: { slots: { 12: 1 }, pv: 1, confirmed: true } },
      { release: 12, expect: { slots: {}, pv: 1, confirmed: true } },
    ],
  },
  {
    name: 'multi-state value: a new value at the same level replaces the slot',
    object: 'multi-state-value:108',
    relinquishDefault: 2,
    steps: [
      { command: 3, at: 8, expect: { slots: { 8: 3 }, pv: 3, confirmed: true } },
      { command: 4, at: 8, expect: { slots: { 8: 4 }, pv: 4, confirmed: true } },
      { release: 8, expect: { slots: {}, pv: 2, confirmed: true } },
      { release: 8, expect: { slots: {}, pv: 2, confirmed: true } }, // releasing an empty slot is harmless
    ],
  },
];

const kindOf = (object: string) => (object.startsWith('binary') ? 'binary' : object.startsWith('multi') ? 'multistate' : 'analog');
const asPoint = (object: string, v: number): PointValue => (kindOf(object) === 'binary' ? v === 1 : v);

describe('BACnet priority pass-through against the simulated panel', () => {
  it.each(CASES)('$name', async (c) => {
    const sim = await startBacnetSimulator({ port: 0, tickMs: 0 });
    cleanups.push(() => sim.stop());
    const point = bacnetPoint('p', c.object, { writable: true });
    const r = bacnetRig(sim.port, sim.instance, [point]);
    const driver = new BacnetDriver(r.connections, r.devices, r.points);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    cleanups.push(() => driver.stop());
    await ctx.until('a good sample', () => ctx.latest(point.info.id)?.quality === 'good', 5000);
    const [type, instance] = c.object.split(':') as [keyof typeof TYPE_NAMES, string];
    const obj = sim.obj(type, Number(instance));
    expect(obj.relinquishDefault).toBe(c.relinquishDefault);
    expect(driver.nativePriority(point.info.id)).toBe(true);

    for (const [i, step] of c.steps.entries()) {
      const result: WriteResult = 'command' in step
        ? await driver.write(point.info.id, step.command, { priority: step.at })
        : await driver.write(point.info.id, null, { priority: step.release, relinquish: true });
      const slots = Object.fromEntries(obj.priority.flatMap((v, j) => (v === null ? [] : [[j + 1, v]])));
      const where = `step ${i + 1} (${JSON.stringify(step)})`;
      expect(slots, where).toEqual(step.expect.slots);
      expect(obj.presentValue(), where).toBe(step.expect.pv);
      expect(result.readBack, where).toEqual(asPoint(c.object, step.expect.pv));
      expect(result.confirmed, where).toBe(step.expect.confirmed);
      if (step.expect.detail) expect(result.detail, where).toBe(step.expect.detail);
    }
  });

  it('relinquish ignores the value it is given, and takes the point default priority without one', async () => {
    const sim = await startBacnetSimulator({ port: 0, tickMs: 0 });
    cleanups.push(() => sim.stop());
    const point = bacnetPoint('sp', 'analog-value:1012', { writable: true, priority: 10 });
    const r = bacnetRig(sim.port, sim.instance, [point]);
    const driver = new BacnetDriver(r.connections, r.devices, r.points);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    cleanups.push(() => driver.stop());
    await ctx.until('a good sample', () => ctx.latest(point.info.id)?.quality === 'good', 5000);
    const sp = sim.obj('analog-value', 1012);
    expect(await driver.write(point.info.id, 22)).toMatchObject({ confirmed: true, readBack: 22 });
    expect(sp.priority[9]).toBe(22);
    expect(await driver.write(point.info.id, 99, { relinquish: true })).toMatchObject({ confirmed: true, readBack: 24, detail: 'priority 10 relinquished' });
    expect(sp.priority.every((v) => v === null)).toBe(true);
    await expect(driver.write(point.info.id, null, { priority: 6, relinquish: true })).rejects.toMatchObject({ code: 'invalid_value' });
  });

  it('says which points pass priorities through: writable outputs and commandable values, not inputs or plain values', async () => {
    // A panel of its own: a commandable setpoint, a writable value without a priority array, a sensor.
    const device = new SimulatedDevice({
      instance: 4711, name: 'T', port: 0,
      objects: [
        new BacObject({ type: OT.AV, instance: 1, name: 'SP', value: 21, commandable: true }),
        new BacObject({ type: OT.AV, instance: 2, name: 'Plain', value: 5, writable: true }),
        new BacObject({ type: OT.AI, instance: 3, name: 'T', value: 20 }),
      ],
    });
    await device.start();
    cleanups.push(() => device.stop());
    const points = [
      bacnetPoint('sp', 'analog-value:1', { writable: true }),
      bacnetPoint('plain', 'analog-value:2', { writable: true }),
      bacnetPoint('temp', 'analog-input:3'),
    ];
    const r = bacnetRig(device.port, 4711, points);
    const driver = new BacnetDriver(r.connections, r.devices, r.points);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    cleanups.push(() => driver.stop());
    await ctx.until('good samples', () => points.every((p) => ctx.latest(p.info.id)?.quality === 'good'), 5000);
    const [sp, plain, temp] = points.map((p) => p.info.id);
    expect([sp, plain, temp].map((id) => driver.nativePriority(id))).toEqual([true, true, false]);
    expect(driver.nativePriority('hq/a/b1/plant-b103/ddc-b1/nope')).toBe(false);
    // The read-back of the first write shows the plain value has no priority array: from then on
    // the hub writes it effective values instead of relinquishing slots it does not have.
    expect(await driver.write(plain, 7, { priority: 8 })).toMatchObject({ confirmed: true, readBack: 7 });
    expect(driver.nativePriority(plain)).toBe(false);
    expect(await driver.write(sp, 22, { priority: 8 })).toMatchObject({ confirmed: true, readBack: 22 });
    expect(driver.nativePriority(sp)).toBe(true);
  });
});
