// The driver against the simulated DDC panel (simulators/bacnet, its own BACnet encoding).
import { afterEach, describe, expect, it } from 'vitest';
import { DriverWriteError } from '../../contracts/driver.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { startBacnetSimulator, type BacnetSimulator } from '../../simulators/bacnet/index.js';
import { BacnetDriver } from './driver.js';
import { bacnetPoint, bacnetRig } from './test-support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rig(points = defaultPoints(), options: Record<string, unknown> = {}) {
  const sim = await startBacnetSimulator({ port: 0, tickMs: 0 });
  cleanups.push(() => sim.stop());
  const r = bacnetRig(sim.port, sim.instance, points, options);
  const driver = new BacnetDriver(r.connections, r.devices, r.points);
  const ctx = new RecordingContext('/tmp');
  await driver.start(ctx);
  cleanups.push(() => driver.stop());
  const ids = points.map((p) => p.info.id);
  await ctx.until('good samples of every point', () => ids.every((id) => ctx.latest(id)?.quality === 'good'), 5000);
  return { sim, driver, ctx, points };
}

function defaultPoints() {
  return [
    bacnetPoint('zone-temp', 'analog-input:1011'),
    bacnetPoint('return-temp', 'analog-input:102', { cov: false }),
    bacnetPoint('zone-sp', 'analog-value:1012', { writable: true }),
    bacnetPoint('fan-cmd', 'binary-output:106', { writable: true }),
    bacnetPoint('mode', 'multi-state-value:108', { writable: true, priority: 10 }),
    bacnetPoint('damper', 'analog-output:1014', { writable: true }),
  ];
}
const id = (name: string) => `hq/a/b1/plant-b103/ddc-b1/${name}`;
const subs = (sim: BacnetSimulator, instance: number) => sim.device.subscriptions.filter((s) => s.object.instance === instance);

describe('BACnet driver against the simulated panel', () => {
  it('reads initial values with ReadPropertyMultiple and decodes each family', async () => {
    const { ctx, sim } = await rig();
    expect(ctx.latest(id('zone-temp'))?.value).toBe(23.2);
    expect(ctx.latest(id('fan-cmd'))?.value).toBe(true);
    expect(ctx.latest(id('mode'))?.value).toBe(2);
    expect(sim.device.counts.get('14')).toBeGreaterThanOrEqual(1); // RPM
    expect(sim.device.counts.get('12') ?? 0).toBe(0); // no single ReadProperty for values
  });

  it('subscribes COV (not for cov:false points) and takes changes from notifications, not polls', async () => {
    const { ctx, sim } = await rig(defaultPoints(), { pollMs: 60_000 });
    await ctx.until('subscriptions', () => subs(sim, 1011).length === 1, 3000);
    expect(subs(sim, 102)).toHaveLength(0);
    expect(subs(sim, 1011)[0].expires - Date.now()).toBeGreaterThan(290_000); // lifetime 300 s
    const rpmBefore = sim.device.counts.get('14');
    sim.set('analog-input', 1011, 27.3);
    await ctx.until('the COV value', () => ctx.latest(id('zone-temp'))?.value === 27.3, 3000);
    sim.set('analog-input', 1011, 27.32); // below the 0.1 COV increment: no notification
    sim.set('analog-input', 1011, 27.5);
    await ctx.until('the next COV value', () => ctx.latest(id('zone-temp'))?.value === 27.5, 3000);
    expect(ctx.samples.filter((s) => s.pointId === id('zone-temp')).map((s) => s.value)).not.toContain(27.32);
    expect(sim.device.counts.get('14')).toBe(rpmBefore);
  });

  it('polls cov:false points every pollMs', async () => {
    const { ctx, sim } = await rig();
    sim.set('analog-input', 102, 25.5);
    await ctx.until('the polled value', () => ctx.latest(id('return-temp'))?.value === 25.5, 3000);
  });

  it('maps reliability and fault to bad, out-of-service to uncertain (COV and polled alike)', async () => {
    const { ctx, sim } = await rig();
    sim.obj('analog-input', 1011).reliability = 1; // no-sensor
    sim.changed();
    await ctx.until('bad by COV', () => ctx.latest(id('zone-temp'))?.quality === 'bad', 3000);
    expect(ctx.latest(id('zone-temp'))?.value).toBeNull();
    sim.obj('analog-input', 102).reliability = 2;
    await ctx.until('bad by poll', () => ctx.latest(id('return-temp'))?.detail === 'reliability: over-range', 3000);
    sim.obj('analog-input', 1011).reliability = 0;
    sim.obj('analog-input', 1011).outOfService = true;
    sim.changed();
    await ctx.until('uncertain by COV', () => ctx.latest(id('zone-temp'))?.quality === 'uncertain', 3000);
    expect(ctx.latest(id('zone-temp'))).toMatchObject({ value: 23.2, detail: 'out of service' });
  });

  it('writes at the BACnet priority, confirms by read-back, relinquishes with NULL', async () => {
    const { driver, sim } = await rig();
    const sp = sim.obj('analog-value', 1012);
    expect(await driver.write(id('zone-sp'), 25)).toEqual({ confirmed: true, readBack: 25 });
    expect(sp.priority[7]).toBe(25); // default priority 8 (operator override)
    expect(await driver.write(id('zone-sp'), 22.5, { priority: 14 })).toMatchObject({ confirmed: false, readBack: 25, detail: 'priority 8 (25) outranks priority 14 on the device' });
    expect(sp.priority[13]).toBe(22.5);
    expect(await driver.write(id('zone-sp'), null)).toMatchObject({ confirmed: true, readBack: 22.5, detail: 'priority 8 relinquished' });
    expect(sp.priority[7]).toBeNull();
    expect(await driver.write(id('zone-sp'), null, { priority: 14 })).toMatchObject({ confirmed: true, readBack: 24 }); // relinquish default
    expect(await driver.write(id('mode'), 3)).toMatchObject({ confirmed: true, readBack: 3 });
    expect(sim.obj('multi-state-value', 108).priority[9]).toBe(3); // the point's configured priority 10
    expect(await driver.write(id('fan-cmd'), false)).toMatchObject({ confirmed: true, readBack: false });
  });

  it('a local command at a higher priority keeps winning, and the write says so', async () => {
    const { driver, sim } = await rig();
    sim.obj('binary-output', 106).priority[1] = 1; // priority 2: a life-safety fan override at the panel
    const r = await driver.write(id('fan-cmd'), false);
    expect(r).toMatchObject({ confirmed: false, readBack: true, detail: 'priority 2 (true) outranks priority 8 on the device' });
  });

  it('refuses bad writes before sending, and names device errors', async () => {
    const points = [...defaultPoints(), bacnetPoint('zone-temp-w', 'analog-input:1013', { writable: true })];
    const { driver, sim } = await rig(points);
    const writes = () => sim.device.counts.get('15') ?? 0;
    await expect(driver.write(id('zone-temp'), 20)).rejects.toMatchObject({ code: 'not_writable' });
    await expect(driver.write(id('zone-temp-w'), 20)).rejects.toMatchObject({ code: 'not_writable' });
    await expect(driver.write(id('nope'), 20)).rejects.toMatchObject({ code: 'unknown_point' });
    await expect(driver.write(id('fan-cmd'), 2)).rejects.toMatchObject({ code: 'invalid_value', message: expect.stringContaining('not true/false') });
    await expect(driver.write(id('zone-sp'), 20, { priority: 6 })).rejects.toMatchObject({ code: 'invalid_value' });
    expect(writes()).toBe(0);
    const err = await driver.write(id('damper'), 150).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverWriteError);
    expect(err).toMatchObject({ code: 'device_error', message: expect.stringContaining('value-out-of-range') });
  });

  it('turns points comm_fail when the device goes silent, re-reads and re-subscribes when it is back', async () => {
    const { ctx, sim, driver, points } = await rig();
    await ctx.until('subscriptions', () => subs(sim, 1011).length === 1, 3000);
    await sim.kill();
    await ctx.until('comm_fail everywhere', () => points.every((p) => ctx.latest(p.info.id)?.quality === 'comm_fail'), 5000);
    expect(ctx.latest(id('zone-temp'))?.detail).toMatch(/device 260001 at 127\.0\.0\.1:\d+: no response/);
    await ctx.until('offline status', () => ctx.statuses.at(-1)?.state === 'offline', 3000);
    expect(ctx.statuses.at(-1)?.detail).toMatch(/^device 260001: no response/);
    await expect(driver.write(id('zone-sp'), 21)).rejects.toMatchObject({ code: 'offline' });
    await sim.revive(); // a rebooted device has forgotten its subscriptions
    expect(sim.device.subscriptions).toHaveLength(0);
    await ctx.until('good again', () => points.every((p) => ctx.latest(p.info.id)?.quality === 'good'), 5000);
    await ctx.until('re-subscribed', () => subs(sim, 1011).length === 1, 3000);
    await ctx.until('online status', () => ctx.statuses.at(-1)?.state === 'online', 3000);
    sim.set('analog-input', 1011, 19.9);
    await ctx.until('COV after re-subscription', () => ctx.latest(id('zone-temp'))?.value === 19.9, 3000);
  });

  it('cancels its subscriptions on stop and publishes nothing after', async () => {
    const { ctx, sim, driver } = await rig();
    await ctx.until('subscriptions', () => sim.device.subscriptions.length > 0, 3000);
    await driver.stop();
    const n = ctx.samples.length;
    expect(sim.device.subscriptions).toHaveLength(0);
    sim.set('analog-input', 1011, 30);
    await new Promise((r) => setTimeout(r, 600));
    expect(ctx.samples.length).toBe(n);
  });
});
