// The driver against a real Modbus TCP server on loopback (modbus-serial ServerTCP).
import { afterEach, describe, expect, it } from 'vitest';
import { DriverWriteError, type BoundPoint, type ConnectionConfig, type ConnectionStatus, type DeviceConfig, type DriverContext } from '../../contracts/driver.js';
import type { PointInfo, Sample } from '../../contracts/point.js';
import type { CycleInfo } from './connection.js';
import { ModbusDriver } from './driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from './schema.js';
import net from 'node:net';
import { freePort, TestModbusServer } from './test-server.js';

const POLL_MS = 100;

class Recorder implements DriverContext {
  batches: Sample[][] = [];
  statuses: ConnectionStatus[] = [];
  logs: Array<{ level: string; msg?: string; obj: object }> = [];
  dataDir = '/tmp';
  private waiters: Array<() => void> = [];
  log = {
    info: (obj: object, msg?: string) => this.logs.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => this.logs.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => this.logs.push({ level: 'error', obj, msg }),
    debug: () => undefined,
  };
  publish(batch: Sample[]): void {
    this.batches.push(batch);
    this.wake();
  }
  status(s: ConnectionStatus): void {
    this.statuses.push(s);
    this.wake();
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  get samples(): Sample[] {
    return this.batches.flat();
  }
  latest(id: string): Sample | undefined {
    for (let b = this.batches.length - 1; b >= 0; b--) {
      const s = this.batches[b].find((x) => x.pointId === id);
      if (s) return s;
    }
    return undefined;
  }
  /** Waits (patiently, not as an assertion of speed) until pred holds. */
  async until(what: string, pred: () => boolean, patienceMs = 8000): Promise<void> {
    const deadline = Date.now() + patienceMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }
}

interface PointSpec { id: string; source: ModbusSource; kind?: PointInfo['kind']; writable?: boolean; limits?: PointInfo['limits'] }

function rig(port: number, devices: Array<{ id: string; unitId: number; points: PointSpec[]; wordOrder?: 'BE' | 'LE' }>, extra: Partial<ModbusConnectionOptions> = {}) {
  const connections: ConnectionConfig<ModbusConnectionOptions>[] = [{
    id: 'gw', protocol: 'modbus',
    options: connectionSchema.parse({ port, pollMs: POLL_MS, timeoutMs: 300, backoff: { initialMs: 50, maxMs: 200 }, ...extra }),
  }];
  const devs: DeviceConfig<ModbusDeviceOptions>[] = devices.map((d) => ({ id: d.id, connection: 'gw', options: deviceSchema.parse({ unitId: d.unitId, wordOrder: d.wordOrder }) }));
  const points: BoundPoint<ModbusSource>[] = devices.flatMap((d) => d.points.map((p) => ({
    device: d.id, connection: 'gw', source: sourceSchema.parse(p.source),
    info: {
      id: `hq/a/l1/plant/${d.id}/${p.id}`, name: { en: p.id, 'zh-CN': p.id }, writable: p.writable ?? false, device: d.id, protocol: 'modbus', intervalMs: POLL_MS,
      kind: p.kind ?? (p.source.table === 'coil' || p.source.table === 'discrete' || p.source.bit !== undefined ? 'binary' : 'analog'),
      ...(p.limits ? { limits: p.limits } : {}),
    },
  })));
  return { connections, devices: devs, points };
}

const id = (device: string, point: string) => `hq/a/l1/plant/${device}/${point}`;

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(devices: Parameters<typeof rig>[1], fill: (s: TestModbusServer) => void, extra?: Partial<ModbusConnectionOptions>) {
  const server = await TestModbusServer.start();
  fill(server);
  const cycles: CycleInfo[] = [];
  const r = rig(server.port, devices, extra);
  const driver = new ModbusDriver(r.connections, r.devices, r.points, { onCycle: (c) => cycles.push(c) });
  const ctx = new Recorder();
  cleanup.push(async () => {
    await driver.stop();
    await server.close();
  });
  await driver.start(ctx);
  return { server, driver, ctx, cycles, ids: r.points.map((p) => p.info.id) };
}

const meter = {
  id: 'meter', unitId: 1, points: [
    { id: 'u16', source: { table: 'holding', address: 0 } },
    { id: 'i16', source: { table: 'holding', address: 1, type: 'int16' } },
    { id: 'f32', source: { table: 'holding', address: 2, type: 'float32' } },
    { id: 'alarm', source: { table: 'holding', address: 5, bit: 3 } },
    { id: 'temp', source: { table: 'input', address: 100, scale: 0.1, offset: -40 } },
    { id: 'relay', source: { table: 'coil', address: 0 } },
    { id: 'relay2', source: { table: 'coil', address: 2 } },
    { id: 'door', source: { table: 'discrete', address: 10 } },
  ] satisfies PointSpec[],
};
const counter = { id: 'counter', unitId: 2, wordOrder: 'LE' as const, points: [{ id: 'kwh', source: { table: 'holding', address: 0, type: 'uint32' } }] satisfies PointSpec[] };

function fillMeter(s: TestModbusServer): void {
  const u1 = s.unit(1);
  u1.holding.set(0, 1234).set(1, 0xfffb).set(2, 16812).set(3, 0).set(5, 0b1000);
  u1.input.set(100, 615);
  u1.coil.set(0, true).set(2, false);
  u1.discrete.set(10, true);
  s.unit(2).holding.set(0, 0x0002).set(1, 0x0001); // low word first: 0x0001_0002
}

describe('ModbusDriver over loopback', () => {
  it('publishes decoded values, one read request per contiguous block per cycle', async () => {
    const { server, driver, ctx, cycles } = await setup([meter, counter], fillMeter);
    await ctx.until('good samples', () => ctx.latest(id('counter', 'kwh'))?.quality === 'good' && ctx.latest(id('meter', 'door'))?.quality === 'good');
    const values = Object.fromEntries(['u16', 'i16', 'f32', 'alarm', 'temp', 'relay', 'relay2', 'door'].map((p) => [p, ctx.latest(id('meter', p))?.value]));
    expect(values).toEqual({ u16: 1234, i16: -5, f32: 21.5, alarm: true, temp: 21.5, relay: true, relay2: false, door: true });
    expect(ctx.latest(id('counter', 'kwh'))?.value).toBe(65538);
    expect(driver.requestsPerCycle()).toEqual({ gw: 5 });

    // Count on the server side what one full cycle sends.
    const n = cycles.length;
    await ctx.until('two more cycles', () => cycles.length >= n + 2);
    const before = cycles.length;
    const seenBefore = server.requests.length;
    await ctx.until('one more cycle', () => cycles.length >= before + 1);
    const oneCycle = server.requests.slice(seenBefore, seenBefore + 5);
    expect(server.requests.length - seenBefore).toBeGreaterThanOrEqual(5);
    expect(oneCycle).toEqual([
      { unitId: 1, fc: 3, address: 0, count: 6 },
      { unitId: 1, fc: 4, address: 100, count: 1 },
      { unitId: 1, fc: 1, address: 0, count: 3 },
      { unitId: 1, fc: 2, address: 10, count: 1 },
      { unitId: 2, fc: 3, address: 0, count: 2 },
    ]);
    // Every cycle is one batch holding every point.
    expect(ctx.batches.at(-1)).toHaveLength(9);
    expect(ctx.statuses[0]).toMatchObject({ connection: 'gw', protocol: 'modbus', state: 'connecting' });
    expect(ctx.statuses[1]).toMatchObject({ state: 'online' });
  });

  it('turns every point comm_fail when the device dies, and recovers by itself', async () => {
    const { server, ctx, ids } = await setup([meter], fillMeter);
    await ctx.until('good samples', () => ids.every((p) => ctx.latest(p)?.quality === 'good'));
    const batchesAtKill = ctx.batches.length;
    await server.close();
    await ctx.until('comm_fail on every point', () => ids.every((p) => ctx.latest(p)?.quality === 'comm_fail'));
    // At most one cycle can be in flight when the device dies; the next one reports it.
    const after = ctx.batches.slice(batchesAtKill, batchesAtKill + 2);
    expect(after.some((b) => b.length === ids.length && b.every((s) => s.quality === 'comm_fail' && s.value === null))).toBe(true);
    expect(ctx.latest(ids[0])?.detail).toContain('ECONNREFUSED');
    expect(ctx.statuses.at(-1)).toMatchObject({ state: 'offline' });

    // Stay dead for a few failed reconnects: logged once, not every poll.
    const failedCycles = ctx.batches.length;
    await ctx.until('several dead cycles', () => ctx.batches.length >= failedCycles + 4);
    expect(ctx.logs.filter((l) => l.level === 'warn' && l.msg === 'modbus connection offline')).toHaveLength(1);

    await server.listen(); // same port
    await ctx.until('good samples again', () => ids.every((p) => ctx.latest(p)?.quality === 'good'));
    expect(ctx.latest(id('meter', 'f32'))?.value).toBe(21.5);
    expect(ctx.statuses.at(-1)).toMatchObject({ state: 'online' });
    expect(ctx.logs.filter((l) => l.msg === 'modbus connection back online')).toHaveLength(1);
    // Transitions only: a periodic refresh of an unchanged state (STATUS_REFRESH_MS) may fall in between
    // on a slow machine.
    const transitions = ctx.statuses.map((s) => s.state).filter((st, i, all) => i === 0 || all[i - 1] !== st);
    expect(transitions).toEqual(['connecting', 'online', 'connecting', 'offline', 'online']);
  }, 20_000);

  it('marks the points of a refused request bad, naming the exception; gateway exceptions are comm_fail', async () => {
    const { ctx, driver } = await setup([{
      id: 'plc', unitId: 1, points: [
        { id: 'ok', source: { table: 'holding', address: 0 } },
        { id: 'missing', source: { table: 'holding', address: 50 } },
        { id: 'broken', source: { table: 'input', address: 7 } },
        { id: 'behind-gw', source: { table: 'coil', address: 3 } },
      ],
    }], (s) => {
      s.unit(1).holding.set(0, 7);
      s.exceptions.set('1/holding/50', 2);
      s.exceptions.set('1/input/7', 4);
      s.exceptions.set('1/coil/3', 11);
    });
    await ctx.until('all four sampled', () => ['ok', 'missing', 'broken', 'behind-gw'].every((p) => ctx.latest(id('plc', p))));
    expect(ctx.latest(id('plc', 'ok'))).toMatchObject({ value: 7, quality: 'good' });
    expect(ctx.latest(id('plc', 'missing'))).toMatchObject({ value: null, quality: 'bad', detail: 'Modbus exception 2: Illegal Data Address' });
    expect(ctx.latest(id('plc', 'broken'))).toMatchObject({ quality: 'bad', detail: 'Modbus exception 4: Server Device Failure' });
    expect(ctx.latest(id('plc', 'behind-gw'))).toMatchObject({ quality: 'comm_fail', detail: 'Modbus exception 11: Gateway Target Device Failed to Respond' });
    expect(driver.requestsPerCycle()).toEqual({ gw: 4 });
    expect(ctx.statuses.at(-1)?.state).toBe('online');
  });

  it('reads the points of a merged block one by one when the block is refused for a hole in the map', async () => {
    const { ctx, driver, server } = await setup([{
      id: 'plc', unitId: 1, points: [
        { id: 'a', source: { table: 'holding', address: 10 } },
        { id: 'b', source: { table: 'holding', address: 14 } },
        { id: 'c', source: { table: 'holding', address: 16, type: 'float32' } },
      ],
    }], (s) => {
      s.unit(1).holding.set(10, 1).set(14, 2).set(16, 16812).set(17, 0);
      s.exceptions.set('1/holding/12', 2); // a hole between a and b
    });
    await ctx.until('a, b and c good', () => ['a', 'b', 'c'].every((p) => ctx.latest(id('plc', p))?.quality === 'good'));
    expect(['a', 'b', 'c'].map((p) => ctx.latest(id('plc', p))?.value)).toEqual([1, 2, 21.5]);
    expect(driver.requestsPerCycle()).toEqual({ gw: 3 });
    expect(server.requests.slice(0, 4)).toEqual([
      { unitId: 1, fc: 3, address: 10, count: 8 },
      { unitId: 1, fc: 3, address: 10, count: 1 },
      { unitId: 1, fc: 3, address: 14, count: 1 },
      { unitId: 1, fc: 3, address: 16, count: 2 },
    ]);
  });

  it('a silent unit goes comm_fail while the others on the gateway keep reading', async () => {
    const { ctx, server } = await setup([meter, counter], (s) => {
      fillMeter(s);
      s.silentUnits.add(2);
    });
    await ctx.until('counter comm_fail and meter good', () => ctx.latest(id('counter', 'kwh'))?.quality === 'comm_fail' && ctx.latest(id('meter', 'u16'))?.quality === 'good');
    expect(ctx.latest(id('counter', 'kwh'))?.detail).toBe('unit 2: no response within 300 ms');
    expect(ctx.statuses.at(-1)?.state).toBe('online');
    server.silentUnits.delete(2);
    await ctx.until('counter back', () => ctx.latest(id('counter', 'kwh'))?.quality === 'good');
    expect(ctx.latest(id('counter', 'kwh'))?.value).toBe(65538);
    expect(ctx.logs.filter((l) => l.msg === 'modbus read failing')).toHaveLength(1);
    expect(ctx.logs.filter((l) => l.msg === 'unit 2 answers again')).toHaveLength(1);
  });

  describe('writes', () => {
    const hvac = {
      id: 'ahu', unitId: 1, points: [
        { id: 'sp', source: { table: 'holding', address: 0, scale: 0.1 }, writable: true, limits: { min: 10, max: 35 } },
        { id: 'flow', source: { table: 'holding', address: 1, type: 'float32' }, writable: true },
        { id: 'fan', source: { table: 'coil', address: 4 }, writable: true },
        { id: 'mode-bit', source: { table: 'holding', address: 3, bit: 2 }, writable: true },
        { id: 'stuck', source: { table: 'holding', address: 9 }, writable: true },
        { id: 'ro', source: { table: 'holding', address: 10 } },
        { id: 'in', source: { table: 'input', address: 0 } },
      ] satisfies PointSpec[],
    };
    const fill = (s: TestModbusServer) => {
      s.unit(1).holding.set(0, 215).set(3, 0b1000_0001).set(9, 5);
      s.readOnlyHolding.add('1/9');
    };

    it('writes registers, floats, coils and bits, each confirmed by read-back', async () => {
      const { ctx, server, driver: d } = await setup([hvac], fill);
      await ctx.until('online', () => ctx.latest(id('ahu', 'sp'))?.quality === 'good');
      expect(await d.write(id('ahu', 'sp'), 22.5)).toEqual({ confirmed: true, readBack: 22.5 });
      expect(server.unit(1).holding.get(0)).toBe(225);
      expect(await d.write(id('ahu', 'flow'), 1.5)).toEqual({ confirmed: true, readBack: 1.5 });
      expect(await d.write(id('ahu', 'fan'), true)).toEqual({ confirmed: true, readBack: true });
      expect(server.unit(1).coil.get(4)).toBe(true);
      expect(await d.write(id('ahu', 'mode-bit'), true)).toEqual({ confirmed: true, readBack: true });
      expect(server.unit(1).holding.get(3)).toBe(0b1000_0101); // other bits kept
      expect(server.writes()).toEqual([
        { unitId: 1, fc: 6, address: 0, count: 225 },
        { unitId: 1, fc: 16, address: 1, count: 2 },
        { unitId: 1, fc: 5, address: 4, count: 0xff00 },
        { unitId: 1, fc: 6, address: 3, count: 0b1000_0101 },
      ]);
      // The read-back is published right away.
      expect(ctx.latest(id('ahu', 'sp'))?.value).toBe(22.5);

      const stuck = await d.write(id('ahu', 'stuck'), 6);
      expect(stuck).toEqual({ confirmed: false, readBack: 5, detail: 'device reads back 5 after writing 6' });
    });

    it('refuses bad writes before sending anything', async () => {
      const { ctx, server, driver: d } = await setup([hvac], fill);
      await ctx.until('online', () => ctx.latest(id('ahu', 'sp'))?.quality === 'good');
      const refusal = async (pointId: string, value: unknown) => {
        try {
          await d.write(pointId, value as number);
        } catch (e) {
          if (e instanceof DriverWriteError) return `${e.code}: ${e.message}`;
          throw e;
        }
        return 'accepted';
      };
      expect(await refusal(id('ahu', 'sp'), 40)).toBe('invalid_value: value 40 outside the limits of hq/a/l1/plant/ahu/sp: must be 10..35');
      expect(await refusal(id('ahu', 'sp'), 22.55)).toMatch(/^invalid_value: .*not representable as uint16 \(steps of 0.1 from 0\)/);
      expect(await refusal(id('ahu', 'stuck'), 70000)).toBe('invalid_value: hq/a/l1/plant/ahu/stuck: value 70000 out of range for uint16: must be 0..65535');
      expect(await refusal(id('ahu', 'fan'), 'on')).toBe('invalid_value: expected true/false (or 1/0), got "on"');
      expect(await refusal(id('ahu', 'ro'), 1)).toBe('not_writable: hq/a/l1/plant/ahu/ro is not writable');
      expect(await refusal('hq/a/l1/plant/ahu/nope', 1)).toBe('unknown_point: no Modbus point hq/a/l1/plant/ahu/nope');
      expect(server.writes()).toEqual([]);
    });

    it('refuses writes while the device is offline', async () => {
      const { ctx, server, driver: d } = await setup([hvac], fill);
      await ctx.until('online', () => ctx.latest(id('ahu', 'sp'))?.quality === 'good');
      await server.close();
      await ctx.until('offline', () => ctx.latest(id('ahu', 'sp'))?.quality === 'comm_fail');
      await expect(d.write(id('ahu', 'sp'), 20)).rejects.toMatchObject({ code: 'offline' });
    });
  });

  it('backs off from a gateway that accepts and hangs up at once, without logging every poll', async () => {
    const port = await freePort();
    let accepted = 0;
    const rude = net.createServer((sock) => {
      accepted++;
      sock.destroy();
    });
    await new Promise<void>((r) => rude.listen(port, '127.0.0.1', () => r()));
    const r = rig(port, [meter], { backoff: { initialMs: 300, maxMs: 1000 } });
    const cycles: CycleInfo[] = [];
    const driver = new ModbusDriver(r.connections, r.devices, r.points, { onCycle: (c) => cycles.push(c) });
    const ctx = new Recorder();
    cleanup.push(async () => {
      await driver.stop();
      await new Promise((res) => rude.close(res));
    });
    await driver.start(ctx);
    await ctx.until('15 cycles', () => cycles.length >= 15);
    expect(r.points.every((p) => ctx.latest(p.info.id)?.quality === 'comm_fail')).toBe(true);
    expect(accepted).toBeLessThan(cycles.length / 2);
    expect(ctx.logs.filter((l) => l.level === 'info')).toHaveLength(1); // the first connect only
  });

  it('spreads the connections over the poll interval from the second cycle on, then keeps a fixed cadence', async () => {
    const server = await TestModbusServer.start();
    fillMeter(server);
    const pollMs = 300;
    const gateways = ['gw-0', 'gw-1', 'gw-2'];
    const one = rig(server.port, [meter]);
    const connections = gateways.map((gw) => ({ ...one.connections[0], id: gw, options: { ...one.connections[0].options, pollMs } }));
    const devices = gateways.map((gw) => ({ ...one.devices[0], connection: gw }));
    const points = gateways.flatMap((gw) => one.points.map((p) => ({ ...p, connection: gw, info: { ...p.info, id: `${p.info.id}-${gw}` } })));
    const cycles: CycleInfo[] = [];
    const driver = new ModbusDriver(connections, devices, points, { onCycle: (c) => cycles.push(c) });
    const ctx = new Recorder();
    cleanup.push(async () => {
      await driver.stop();
      await server.close();
    });
    await driver.start(ctx);
    const due = (gw: string) => cycles.filter((c) => c.connection === gw).map((c) => c.scheduledAt);
    await ctx.until('three cycles per connection', () => gateways.every((gw) => due(gw).length >= 3));
    gateways.forEach((gw, i) => {
      const [first, second, third] = due(gw);
      expect(second - first).toBeCloseTo(pollMs + (pollMs * i) / gateways.length, 3); // first values at once, then a phase each
      expect(third - second).toBeCloseTo(pollMs, 3);
    });
  });

  it('never overlaps cycles: an overrunning cycle is followed right after, and the status says so', async () => {
    const { ctx, cycles } = await setup([meter, counter], (s) => {
      fillMeter(s);
      s.silentUnits.add(2); // every cycle waits 300 ms for unit 2, with pollMs 100
    });
    await ctx.until('four cycles', () => cycles.length >= 4);
    for (let k = 1; k < cycles.length; k++) {
      const previousEnd = cycles[k - 1].startedAt + cycles[k - 1].durationMs;
      expect(cycles[k].startedAt).toBeGreaterThanOrEqual(previousEnd);
      // re-anchored on the overrun instead of piling up missed ticks
      expect(cycles[k].scheduledAt).toBeGreaterThanOrEqual(previousEnd - 1);
    }
    const overrun = ctx.statuses.find((s) => s.state === 'online' && s.lastCycleMs !== undefined);
    expect(overrun?.detail).toMatch(/^poll cycle took \d+ ms, longer than pollMs 100$/);
    expect(overrun!.lastCycleMs!).toBeGreaterThan(100);
    expect(ctx.logs.filter((l) => l.msg === 'modbus poll cycle overruns its interval')).toHaveLength(1);
  });

  it('publishes nothing after stop(), even with a request in flight', async () => {
    const { ctx, driver, server, cycles } = await setup([meter, counter], (s) => {
      fillMeter(s);
      s.silentUnits.add(2); // unit 2 keeps a request hanging until its timeout
    }, { timeoutMs: 2000 });
    await ctx.until('unit 2 asked', () => server.requests.some((r) => r.unitId === 2));
    await driver.stop();
    const published = ctx.batches.length;
    const statuses = ctx.statuses.length;
    const requests = server.requests.length;
    const cyclesAtStop = cycles.length;
    expect(ctx.statuses.at(-1)?.state).toBe('stopped');
    await new Promise((r) => setTimeout(r, POLL_MS * 5));
    expect(ctx.batches.length).toBe(published);
    expect(ctx.statuses.length).toBe(statuses);
    expect(server.requests.length).toBe(requests);
    expect(cycles.length).toBe(cyclesAtStop);
  });
});
