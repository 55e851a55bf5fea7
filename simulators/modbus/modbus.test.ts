// The simulator against a real Modbus TCP client (modbus-serial, not drivers/): registers decoded
// by hand here from the datasheets in README.md, so an encoder bug in the simulator shows up.
import M from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { DEMO_SPEC_FILE, type ModbusSimulator, loadSimSpec, startModbusSimulator } from './index.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const ModbusRTU = M.default;
type Client = InstanceType<typeof ModbusRTU>;

// Wednesday 2025-03-05 10:00 Asia/Shanghai: office hours.
const WEDNESDAY_10AM = Date.UTC(2025, 2, 5, 2, 0, 0);

async function connect(port: number, unit: number): Promise<Client> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unit);
  client.setTimeout(3000);
  return client;
}

function close(client: Client): Promise<void> {
  return new Promise((resolve) => (client.isOpen ? client.close(() => resolve()) : resolve()));
}

const f32 = (hi: number, lo: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(hi, 0);
  b.writeUInt16BE(lo, 2);
  return b.readFloatBE(0);
};
const i16 = (w: number) => (w >= 0x8000 ? w - 0x10000 : w);

async function modbusError(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { modbusCode?: number }).modbusCode;
  }
  throw new Error('expected a Modbus exception, the request succeeded');
}

describe('Modbus simulator over real Modbus TCP', () => {
  let sim: ModbusSimulator;
  const clients: Client[] = [];
  const client = async (gateway: string, unit: number) => {
    const c = await connect(sim.ports[gateway], unit);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // Near-frozen behaviour: values only move when a test moves them.
    sim = await startModbusSimulator({ ports: 'ephemeral', now: () => WEDNESDAY_10AM, timeScale: 1e-6 });
  });
  afterAll(async () => {
    await Promise.all(clients.map(close));
    await sim.stop();
  });

  it('listens on one port per floor gateway', () => {
    expect(Object.keys(sim.ports).sort()).toEqual(['modbus-gw-b1', 'modbus-gw-l01', 'modbus-gw-l02', 'modbus-gw-l03', 'modbus-gw-l04', 'modbus-gw-l05']);
    expect(new Set(Object.values(sim.ports)).size).toBe(6);
  });

  it('serves the power meter per its datasheet (float32 BE, int16 ×0.001, uint32 ×0.1 low word first, bits)', async () => {
    const c = await client('modbus-gw-b1', 1);
    const { data: r } = await c.readInputRegisters(0, 22);
    const voltageL1 = f32(r[0], r[1]);
    expect(voltageL1).toBeGreaterThan(210);
    expect(voltageL1).toBeLessThan(235);
    expect(f32(r[12], r[13])).toBeCloseTo(sim.get('modbus-gw-b1', 1, 'kw') as number, 3);
    expect(f32(r[12], r[13])).toBeGreaterThan(60); // B1 daytime base load plus the car-park lights
    expect(i16(r[14]) * 0.001).toBeGreaterThan(0.9); // lagging in office hours
    expect(r[15] * 0.01).toBeCloseTo(50, 0);
    const kwh = ((r[17] << 16) | r[16]) * 0.1;
    expect(kwh).toBeCloseTo(sim.get('modbus-gw-b1', 1, 'kwh') as number, 0);
    expect(kwh).toBeGreaterThan(812345);
    expect(r[18]).toBe(0);

    sim.set('modbus-gw-b1', 1, 'phase-loss', true);
    sim.set('modbus-gw-b1', 1, 'ct-fault', true);
    const { data: after } = await c.readInputRegisters(0, 22);
    expect(after[18]).toBe(0b101);
    expect(f32(after[4], after[5])).toBe(0); // L3 voltage gone
    sim.set('modbus-gw-b1', 1, 'phase-loss', false);
    sim.set('modbus-gw-b1', 1, 'ct-fault', false);
  });

  it('serves the water meter flow as float32 with the low word first', async () => {
    const c = await client('modbus-gw-b1', 4);
    const { data: r } = await c.readInputRegisters(0, 5);
    expect(f32(r[1], r[0])).toBeCloseTo(sim.get('modbus-gw-b1', 4, 'flow') as number, 4);
    expect((r[2] * 65536 + r[3]) * 0.001).toBeCloseTo(sim.get('modbus-gw-b1', 4, 'total') as number, 2);
    expect(r[4] * 0.01).toBeGreaterThan(2);
  });

  it('serves negative temperatures as int16 ×0.1 and the dew point with its −40 offset', async () => {
    sim.set('modbus-gw-b1', 8, 'temperature', -5.5);
    sim.set('modbus-gw-b1', 8, 'dew-point', -12.3);
    const c = await client('modbus-gw-b1', 8);
    const { data: r } = await c.readInputRegisters(0, 3);
    expect(r[0]).toBe(0xffc9);
    expect(r[2]).toBe(277);
    sim.release('modbus-gw-b1', 8);
  });

  it('a coil write switches a light: read-back, its circuit current and the floor meter follow', async () => {
    const panel = await client('modbus-gw-l02', 2);
    const meter = await client('modbus-gw-l02', 1);
    // Circuit 2 is office-203 (4 A, not dimmable); lit in office hours.
    expect((await panel.readCoils(0, 10)).data[2]).toBe(true);
    expect((await panel.readInputRegisters(2, 1)).data[0] * 0.01).toBeCloseTo(4, 0);
    const kwBefore = (await meter.readInputRegisters(12, 2)).data;

    await panel.writeCoil(2, false);
    expect((await panel.readCoils(0, 10)).data[2]).toBe(false);
    expect((await panel.readInputRegisters(2, 1)).data[0]).toBe(0);
    const kwAfter = (await meter.readInputRegisters(12, 2)).data;
    // 4 A × 220 V × PF 0.95 = 0.836 kW, give or take the supply ripple of the other circuits.
    expect(f32(kwBefore[0], kwBefore[1]) - f32(kwAfter[0], kwAfter[1])).toBeCloseTo(0.836, 1);
    expect(sim.get('modbus-gw-l02', 2, 'office-203')).toBe(false);

    await panel.writeCoil(2, true);
    expect((await panel.readInputRegisters(2, 1)).data[0] * 0.01).toBeCloseTo(4, 0);
  });

  it('a dimmer write changes the level and the current; out-of-range levels are refused with exception 03', async () => {
    const panel = await client('modbus-gw-l02', 2);
    await panel.writeRegister(0, 50); // holding 0 = office-201 dimmer
    expect((await panel.readHoldingRegisters(0, 1)).data[0]).toBe(50);
    expect((await panel.readInputRegisters(0, 1)).data[0] * 0.01).toBeCloseTo(4 * (0.1 + 0.9 * 0.5), 1);
    expect(await modbusError(panel.writeRegister(0, 150))).toBe(3);
    expect((await panel.readHoldingRegisters(0, 1)).data[0]).toBe(50);
    await panel.writeRegisters(0, [80, 60]);
    expect((await panel.readHoldingRegisters(0, 2)).data).toEqual([80, 60]);
  });

  it('reads the panel status bits and refuses unmapped addresses (02), read-only writes (02) and unknown units (0B)', async () => {
    const panel = await client('modbus-gw-l02', 2);
    expect((await panel.readInputRegisters(100, 1)).data[0] & 1).toBe(1); // mains OK
    expect(await modbusError(panel.readInputRegisters(50, 2))).toBe(2);
    expect(await modbusError(panel.readCoils(0, 40))).toBe(2);
    const door = await client('modbus-gw-l02', 4);
    expect(await modbusError(door.writeRegister(0, 1))).toBe(2);
    const nobody = await client('modbus-gw-l02', 99);
    expect(await modbusError(nobody.readInputRegisters(0, 1))).toBe(0x0b);
  });

  it('gateway().stop() refuses connections and drops clients; start() serves again on the same port', async () => {
    const port = sim.ports['modbus-gw-l04'];
    const c = await connect(port, 1);
    c.setTimeout(300);
    await sim.gateway('modbus-gw-l04').stop();
    await expect(connect(port, 1)).rejects.toThrow(/ECONNREFUSED|refused/i);
    await expect(c.readInputRegisters(0, 2)).rejects.toThrow();
    await close(c);

    await sim.gateway('modbus-gw-l04').start();
    expect(sim.ports['modbus-gw-l04']).toBe(port);
    const again = await client('modbus-gw-l04', 1);
    expect((await again.readInputRegisters(0, 2)).data).toHaveLength(2);
  });

  it('plays leak-b1 with a big time scale: the pump-room sensor turns wet, the water flow jumps, then it dries', async () => {
    const leak = await client('modbus-gw-b1', 3);
    const water = await client('modbus-gw-b1', 4);
    const flowOf = async () => {
      const r = (await water.readInputRegisters(0, 2)).data;
      return f32(r[1], r[0]);
    };
    const dryFlow = await flowOf();
    expect((await leak.readDiscreteInputs(0, 1)).data[0]).toBe(false);
    // 30 s → 0.3 s real, fixed at 5 min → 3 s real.
    const played = sim.runScenario('leak-b1', { timeScale: 100 });
    let wet = false;
    while (!wet) {
      wet = (await leak.readDiscreteInputs(0, 1)).data[0];
      if (!wet) await new Promise((r) => setTimeout(r, 20));
    }
    expect(await flowOf()).toBeGreaterThan(dryFlow + 3.5);
    await played;
    expect((await leak.readDiscreteInputs(0, 1)).data[0]).toBe(false);
    expect(await flowOf()).toBeLessThan(dryFlow + 1);
  });
});

describe('shipped scenarios', () => {
  it('every shipped scenario names real gateways, units and fields of the demo spec', async () => {
    const sim = await startModbusSimulator({ ports: 'ephemeral' });
    try {
      for (const name of ['leak-b1', 'door-forced-night', 'lights-left-on']) await sim.runScenario(name, { timeScale: 1e9 });
      expect(sim.get('modbus-gw-l05', 2, 'meeting-505')).toBe(true);
      await expect(sim.runScenario('no-such-scenario')).rejects.toThrow(/no such file/);
    } finally {
      await sim.stop();
    }
  });

  it('refuses a demo port that is taken, naming the gateway, and leaves nothing listening', async () => {
    const first = await startModbusSimulator({ ports: 'ephemeral' });
    const taken = first.ports['modbus-gw-l01'];
    const spec = loadSimSpec(DEMO_SPEC_FILE);
    spec.gateways[1].port = taken;
    spec.gateways[0].port = await freePort(); // b1 starts fine first and must be closed again
    try {
      await expect(startModbusSimulator({ spec, ports: 'demo' })).rejects.toThrow(/modbus-gw-l01.*port in use/);
      await expect(connect(spec.gateways[0].port, 1)).rejects.toThrow(/ECONNREFUSED|refused/i);
    } finally {
      await first.stop();
    }
  });
});
