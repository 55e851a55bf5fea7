import { describe, expect, it } from 'vitest';
import { DriverWriteError, type BoundPoint } from '../../contracts/driver.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { DerivedDriver } from './driver.js';
import type { DerivedSource } from './schema.js';
import { DerivedSignalRegistry } from './signals.js';

const CIRCUIT = 'hq/a/b1/weak-b104/lighting-b1/parking-a';
const FLOW = 'hq/a/b1/pump-b101/water-main/flow';
const LAMP = 'hq/a/b1/weak-b104/lamp-faults/parking-a';
const LEAK = 'hq/a/b1/pump-b101/water-watch/night-flow-leak';

function bound(id: string, signal: string, of: string, writable = false): BoundPoint<DerivedSource> {
  return {
    info: { id, name: { en: id, 'zh-CN': id }, kind: 'binary', writable, device: id.split('/')[4], protocol: 'derived', intervalMs: 60_000 },
    device: id.split('/')[4],
    connection: 'derived',
    source: { signal, of },
  };
}

function rig(writable = false) {
  const reg = new DerivedSignalRegistry();
  const points = [bound(LAMP, 'lamp-fault', CIRCUIT, writable), bound(LEAK, 'night-flow-leak', FLOW)];
  const driver = new DerivedDriver([{ id: 'derived', protocol: 'derived', options: { heartbeatMs: 60_000 } }], [], points, reg);
  const ctx = new RecordingContext('/tmp');
  return { reg, driver, ctx };
}

describe('derived driver', () => {
  it('reads the registry the hub hands over in its context, and refuses to start without one', async () => {
    const points = [bound(LAMP, 'lamp-fault', CIRCUIT)];
    const connections = [{ id: 'derived', protocol: 'derived', options: { heartbeatMs: 60_000 } }];
    const shared = new DerivedSignalRegistry();
    const driver = new DerivedDriver(connections, [], points);
    const ctx = new RecordingContext('/tmp', { derivedSignals: shared });
    await driver.start(ctx);
    shared.register('lamp-fault', { name: 'control/lighting' }).publish(CIRCUIT, true);
    expect(ctx.latest(LAMP)).toMatchObject({ value: true, quality: 'good' });
    await driver.stop();
    await expect(new DerivedDriver(connections, [], points).start(new RecordingContext('/tmp'))).rejects.toThrow('the driver context has no derivedSignals registry');
  });

  it('without a producer: comm_fail "producer gone" and the connection offline', async () => {
    const { driver, ctx } = rig();
    await driver.start(ctx);
    expect(ctx.latest(LAMP)).toMatchObject({ value: null, quality: 'comm_fail', detail: 'producer gone: nothing publishes "lamp-fault"' });
    expect(ctx.statuses.at(-1)).toMatchObject({ connection: 'derived', state: 'offline', detail: expect.stringContaining('"lamp-fault", "night-flow-leak"') });
    await driver.stop();
  });

  it('forwards published values as samples, waits visibly for a first value, and goes comm_fail when the producer leaves', async () => {
    const { reg, driver, ctx } = rig();
    await driver.start(ctx);
    const lamps = reg.register('lamp-fault', { name: 'control/lighting' });
    expect(ctx.latest(LAMP)).toMatchObject({ value: null, quality: 'uncertain', detail: expect.stringContaining('has not published') });
    lamps.publish(CIRCUIT, true, { detail: 'circuit on, no current', ts: 42 });
    expect(ctx.latest(LAMP)).toMatchObject({ value: true, quality: 'good', detail: 'circuit on, no current', sourceTs: 42 });
    lamps.publish('hq/a/b1/weak-b104/lighting-b1/other', true); // not configured: nothing published
    expect(ctx.samples.filter((s) => s.pointId !== LAMP && s.pointId !== LEAK)).toEqual([]);
    // Still offline: the leak signal has no producer.
    expect(ctx.statuses.at(-1)).toMatchObject({ state: 'offline', detail: 'producer gone: nothing publishes "night-flow-leak"' });
    const water = reg.register('night-flow-leak', { name: 'control/water' });
    water.publish(FLOW, false);
    expect(ctx.statuses.at(-1)).toMatchObject({ state: 'online' });
    lamps.close();
    expect(ctx.latest(LAMP)).toMatchObject({ quality: 'comm_fail' });
    expect(ctx.latest(LEAK)).toMatchObject({ value: false, quality: 'good' });
    await driver.stop();
    const n = ctx.samples.length;
    water.publish(FLOW, true);
    expect(ctx.samples.length).toBe(n); // nothing after stop
    expect(ctx.statuses.at(-1)?.state).toBe('stopped');
  });

  it('re-publishes on the heartbeat so staleness still works', async () => {
    const reg = new DerivedSignalRegistry();
    const driver = new DerivedDriver([{ id: 'derived', protocol: 'derived', options: { heartbeatMs: 200 } }], [], [bound(LAMP, 'lamp-fault', CIRCUIT)], reg);
    const ctx = new RecordingContext('/tmp');
    reg.register('lamp-fault', { name: 'x' }).publish(CIRCUIT, false);
    await driver.start(ctx);
    await ctx.until('three samples of the lamp point', () => ctx.samples.filter((s) => s.pointId === LAMP).length >= 3, 5000);
    expect(ctx.samples.every((s) => s.value === false && s.quality === 'good')).toBe(true);
    await driver.stop();
  });

  it('writes go to the producer and are confirmed by reading its value back', async () => {
    const { reg, driver, ctx } = rig(true);
    await driver.start(ctx);
    await expect(driver.write(LAMP, true)).rejects.toMatchObject({ code: 'offline' });
    const ro = reg.register('lamp-fault', { name: 'ro' });
    await expect(driver.write(LAMP, true)).rejects.toMatchObject({ code: 'not_writable' });
    ro.close();
    const p = reg.register('lamp-fault', { name: 'rw', write: (of, v) => p.publish(of, v) });
    await expect(driver.write(LAMP, 1)).rejects.toBeInstanceOf(DriverWriteError);
    await expect(driver.write(LAMP, 1)).rejects.toMatchObject({ code: 'invalid_value' });
    expect(await driver.write(LAMP, true)).toEqual({ confirmed: true, readBack: true });
    await expect(driver.write(LEAK, true)).rejects.toMatchObject({ code: 'not_writable' });
    await expect(driver.write('hq/a/b1/x/y/z', true)).rejects.toMatchObject({ code: 'unknown_point' });
    // A producer that accepts but does not take the value: not confirmed.
    p.close();
    reg.register('lamp-fault', { name: 'stubborn', write: () => undefined }).publish(CIRCUIT, false);
    expect(await driver.write(LAMP, true)).toEqual({ confirmed: false, readBack: false });
    reg.register('lamp-fault', { name: 'failing', write: () => { throw new Error('busy'); } });
    await expect(driver.write(LAMP, true)).rejects.toMatchObject({ code: 'device_error', message: expect.stringContaining('busy') });
    await driver.stop();
  });
});
