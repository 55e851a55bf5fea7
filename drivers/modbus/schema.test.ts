import { describe, expect, it } from 'vitest';
import { connectionSchema, deviceSchema, resolveSource, sourceSchema } from './schema.js';

/** Issues as "path: message" strings. */
function issues(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('connectionSchema', () => {
  it('takes RTU serial settings with the serial-line defaults (19200 8E1)', () => {
    expect(connectionSchema.parse({ transport: 'rtu', serial: { path: '/dev/ttyUSB0' } }).serial).toEqual({ path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1 });
    expect(connectionSchema.parse({ transport: 'rtu-over-tcp', host: '10.0.0.9', port: 4001 }).transport).toBe('rtu-over-tcp');
  });
  it.each([
    [{ transport: 'rtu' }, 'serial: transport rtu needs serial: { path, baudRate, parity }'],
    [{ serial: { path: '/dev/ttyS0' } }, 'serial: serial applies to transport rtu, not tcp'],
    [{ transport: 'rtu', serial: { path: '/dev/ttyS0', baudRate: 12345 } }, 'serial.baudRate'],
    [{ transport: 'ascii' }, 'transport'],
  ])('refuses RTU settings %j', (value, want) => expect(issues(connectionSchema, value).join('\n')).toContain(want));
  it('applies defaults', () => {
    expect(connectionSchema.parse({})).toEqual({ host: '127.0.0.1', port: 502, pollMs: 1000, timeoutMs: 1000, maxGap: 8, maxGapBits: 32 });
    expect(connectionSchema.parse({ backoff: {} }).backoff).toEqual({ initialMs: 500, maxMs: 30000 });
  });
  it.each([
    [{ port: 0 }, 'port'],
    [{ port: 65536 }, 'port'],
    [{ pollMs: 49 }, 'pollMs'],
    [{ pollMs: 100.5 }, 'pollMs'],
    [{ maxGap: 125 }, 'maxGap'],
    [{ maxGap: -1 }, 'maxGap'],
    [{ host: '' }, 'host'],
    [{ backoff: { initialMs: 5000, maxMs: 1000 } }, 'backoff.initialMs'],
    [{ backoff: { initialMs: 500, jitter: 1 } }, 'backoff'],
  ])('refuses %j at %s', (value, path) => {
    const found = issues(connectionSchema, value);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].startsWith(`${path}:`)).toBe(true);
  });
  it('refuses unknown keys', () => {
    expect(issues(connectionSchema, { hots: 'x' })[0]).toMatch(/hots/);
  });
});

describe('deviceSchema', () => {
  it('applies defaults', () => {
    expect(deviceSchema.parse({})).toEqual({ unitId: 1, byteOrder: 'BE', wordOrder: 'BE' });
  });
  it('refuses unit ids beyond 255 and unknown keys', () => {
    expect(issues(deviceSchema, { unitId: 256 })[0]).toMatch(/^unitId:/);
    expect(issues(deviceSchema, { unit: 2 })[0]).toMatch(/unit/);
    expect(issues(deviceSchema, { wordOrder: 'big' })[0]).toMatch(/^wordOrder:/);
  });
});

describe('sourceSchema', () => {
  it('accepts the common shapes', () => {
    for (const s of [
      { table: 'holding', address: 0 },
      { table: 'input', address: 10, type: 'float32', wordOrder: 'LE', scale: 0.1, offset: -40 },
      { table: 'coil', address: 65535 },
      { table: 'discrete', address: 3, type: 'bool' },
      { table: 'holding', address: 5, bit: 15 },
      { table: 'holding', address: 5, type: 'uint16', bit: 3 },
      { table: 'holding', address: 65534, type: 'int32' },
    ]) expect(issues(sourceSchema, s)).toEqual([]);
  });
  it.each([
    [{ table: 'holding', address: 65536 }, 'address: must be 0..65535'],
    [{ table: 'holding', address: -1 }, 'address: must be 0..65535'],
    [{ table: 'holding', address: 1.5 }, 'address: must be 0..65535'],
    [{ table: 'holding', address: '12' }, 'address: must be 0..65535'],
    [{ table: 'holding', address: 65535, type: 'float32' }, 'address: float32 spans 2 registers: address must be 0..65534'],
    [{ table: 'holdings', address: 0 }, 'table:'],
    [{ table: 'holding', address: 0, type: 'float16' }, 'type:'],
    [{ table: 'holding', address: 0, type: 'string' }, 'length: a string needs its length in registers (2 characters each)'],
    [{ table: 'holding', address: 0, type: 'string', length: 4, scale: 2 }, 'scale: scale does not apply to a string'],
    [{ table: 'holding', address: 65534, type: 'string', length: 4 }, 'address: a string of 4 registers must start at 0..65532'],
    [{ table: 'holding', address: 0, type: 'uint16', length: 2 }, 'length: length applies to strings, not uint16'],
    [{ table: 'holding', address: 65533, type: 'float64' }, 'address: float64 spans 4 registers: address must be 0..65532'],
    [{ table: 'coil', address: 0, type: 'uint16' }, 'type: coil holds single bits: type must be bool'],
    [{ table: 'discrete', address: 0, bit: 1 }, 'bit: bit applies to holding/input registers, not discrete'],
    [{ table: 'coil', address: 0, scale: 2 }, 'scale: scale applies to numeric register values, not coil'],
    [{ table: 'holding', address: 0, type: 'float32', bit: 1 }, 'bit: bit needs a 16-bit type (uint16, int16 or bool), not float32'],
    [{ table: 'holding', address: 0, bit: 16 }, 'bit:'],
    [{ table: 'holding', address: 0, bit: 2, scale: 10 }, 'scale: scale does not apply to a boolean (bool or bit) point'],
    [{ table: 'holding', address: 0, type: 'uint16', wordOrder: 'LE' }, 'wordOrder: wordOrder applies to 32-bit and 64-bit types, not uint16'],
    [{ table: 'holding', address: 0, scale: 0 }, 'scale: must not be 0'],
    [{ table: 'holding', address: 0, unit: 'kW' }, 'unit'],
  ])('refuses %j', (value, expected) => {
    expect(issues(sourceSchema, value).join('\n')).toContain(expected);
  });
});

describe('resolveSource', () => {
  const device = { unitId: 1, byteOrder: 'BE' as const, wordOrder: 'LE' as const };
  it('defaults registers to uint16 and bit tables to bool', () => {
    expect(resolveSource({ table: 'holding', address: 4 }, device)).toEqual({
      table: 'holding', address: 4, type: 'uint16', width: 1, wordOrder: 'LE', byteOrder: 'BE', scale: 1, offset: 0,
    });
    expect(resolveSource({ table: 'coil', address: 4 }, device).type).toBe('bool');
  });
  it('point word order overrides the device default', () => {
    expect(resolveSource({ table: 'input', address: 0, type: 'float32', wordOrder: 'BE' }, device)).toMatchObject({ width: 2, wordOrder: 'BE' });
    expect(resolveSource({ table: 'input', address: 0, type: 'float32' }, device).wordOrder).toBe('LE');
  });
});
