// Config schemas of the Modbus TCP driver: connection options, device options, point source.
// Validation only (no I/O). Unknown keys are refused everywhere.
import { z } from 'zod';

export const TABLES = ['holding', 'input', 'coil', 'discrete'] as const;
export type ModbusTable = (typeof TABLES)[number];

export const VALUE_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'string', 'bool'] as const;
export type ModbusValueType = (typeof VALUE_TYPES)[number];

export const ORDERS = ['BE', 'LE'] as const;
export type Order = (typeof ORDERS)[number];

/** Registers a value type occupies (strings: their `length`). */
export const TYPE_WIDTH: Record<Exclude<ModbusValueType, 'string'>, 1 | 2 | 4> = {
  int16: 1,
  uint16: 1,
  bool: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  int64: 4,
  uint64: 4,
  float64: 4,
};

export const TRANSPORTS = ['tcp', 'rtu', 'rtu-over-tcp'] as const;
export type ModbusTransport = (typeof TRANSPORTS)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const backoffSchema = z
  .strictObject({
    initialMs: int(10, 3_600_000).default(500),
    maxMs: int(10, 3_600_000).default(30_000),
  })
  .refine((b) => b.initialMs <= b.maxMs, { message: 'initialMs must be <= maxMs', path: ['initialMs'] });

export const serialSchema = z.strictObject({
  /** Serial device, e.g. /dev/ttyUSB0 (an RS-485 adapter) or /dev/ttyS1. */
  path: z.string().min(1),
  baudRate: z.union([z.literal(1200), z.literal(2400), z.literal(4800), z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]).default(19200),
  /** The Modbus serial line spec's default is even parity, 8 data bits, 1 stop bit. */
  parity: z.enum(['none', 'even', 'odd']).default('even'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});
export type ModbusSerialOptions = z.output<typeof serialSchema>;

export const connectionSchema = z.strictObject({
  /** `tcp` (Modbus TCP), `rtu` (a serial port), `rtu-over-tcp` (RTU frames through a transparent serial server). */
  transport: z.enum(TRANSPORTS).optional(),
  /** For `rtu`. */
  serial: serialSchema.optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: int(1, 65535).default(502),
  pollMs: int(50, 86_400_000).default(1000),
  /** Per-request (and per-connect-attempt) timeout. */
  timeoutMs: int(10, 600_000).default(1000),
  /** Unused registers a read may span to merge two blocks into one request. */
  maxGap: int(0, 124).default(8),
  /** Same for coils / discrete inputs, in bits. */
  maxGapBits: int(0, 1999).default(32),
  backoff: backoffSchema.optional(),
  /**
   * Requests in flight at once on this connection (Modbus TCP pipelining, matched by transaction id).
   * 1 (default) suits fragile gateways that handle one request at a time; `tcp` transport only.
   */
  maxInFlight: int(1, 64).optional(),
  /** Of those, at most this many for one unit id, served round-robin (a slow unit cannot take every slot). */
  maxInFlightPerUnit: int(1, 64).optional(),
}).superRefine((c, ctx) => {
  const transport = c.transport ?? 'tcp';
  if (transport !== 'tcp' && (c.maxInFlight ?? 1) > 1) ctx.addIssue({ code: 'custom', path: ['maxInFlight'], message: `pipelining needs transport tcp (RTU lines carry one request at a time), not ${transport}` });
  if (transport === 'rtu' && !c.serial) ctx.addIssue({ code: 'custom', path: ['serial'], message: 'transport rtu needs serial: { path, baudRate, parity }' });
  if (transport !== 'rtu' && c.serial) ctx.addIssue({ code: 'custom', path: ['serial'], message: `serial applies to transport rtu, not ${transport}` });
});
export type ModbusConnectionOptions = z.output<typeof connectionSchema>;

export const deviceSchema = z.strictObject({
  unitId: int(0, 255).default(1),
  /** Byte order inside each 16-bit register. 'LE' swaps the two bytes (rare, some meters). */
  byteOrder: z.enum(ORDERS).default('BE'),
  /** Word order of 32/64-bit values, device-wide default: 'BE' = high word first. */
  wordOrder: z.enum(ORDERS).default('BE'),
  /** Write bits of holding registers with FC22 (mask write) instead of read-modify-write (FC3 + FC6). */
  maskWrite: z.boolean().optional(),
  /** Write registers and read them back in one FC23 transaction (read/write multiple registers). */
  readWrite: z.boolean().optional(),
});
export type ModbusDeviceOptions = z.output<typeof deviceSchema>;

const ADDRESS_MESSAGE = 'must be 0..65535';

export const sourceSchema = z
  .strictObject({
    table: z.enum(TABLES),
    address: z
      .number({ error: ADDRESS_MESSAGE })
      .int({ error: ADDRESS_MESSAGE })
      .min(0, { error: ADDRESS_MESSAGE })
      .max(65535, { error: ADDRESS_MESSAGE }),
    /** Default: uint16 on registers, bool on coils / discrete inputs. */
    type: z.enum(VALUE_TYPES).optional(),
    /** Registers of a `string` (2 characters each), 1..123. */
    length: int(1, 123).optional(),
    /** Word order of this 32-bit value; overrides the device's. */
    wordOrder: z.enum(ORDERS).optional(),
    /** Engineering value = raw * scale + offset. Default 1. */
    scale: z.number().finite().refine((s) => s !== 0, { message: 'must not be 0' }).optional(),
    /** Default 0. */
    offset: z.number().finite().optional(),
    /** A single bit of a 16-bit register, published as a boolean. */
    bit: int(0, 15).optional(),
  })
  .superRefine((s, ctx) => {
    const isBits = s.table === 'coil' || s.table === 'discrete';
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (isBits) {
      if (s.type !== undefined && s.type !== 'bool') issue('type', `${s.table} holds single bits: type must be bool`);
      if (s.bit !== undefined) issue('bit', `bit applies to holding/input registers, not ${s.table}`);
      if (s.wordOrder !== undefined) issue('wordOrder', `wordOrder applies to 32-bit register values, not ${s.table}`);
      if (s.scale !== undefined) issue('scale', `scale applies to numeric register values, not ${s.table}`);
      if (s.offset !== undefined) issue('offset', `offset applies to numeric register values, not ${s.table}`);
      return;
    }
    const type = s.type ?? 'uint16';
    if (type === 'string') {
      if (s.length === undefined) issue('length', 'a string needs its length in registers (2 characters each)');
      for (const k of ['bit', 'scale', 'offset', 'wordOrder'] as const) if (s[k] !== undefined) issue(k, `${k} does not apply to a string`);
      if (s.length !== undefined && s.address + s.length > 65536) issue('address', `a string of ${s.length} registers must start at 0..${65536 - s.length}`);
      return;
    }
    if (s.length !== undefined) issue('length', `length applies to strings, not ${type}`);
    const width = TYPE_WIDTH[type];
    if (s.bit !== undefined && width !== 1) issue('bit', `bit needs a 16-bit type (uint16, int16 or bool), not ${type}`);
    if (s.wordOrder !== undefined && width === 1) issue('wordOrder', `wordOrder applies to 32-bit and 64-bit types, not ${type}`);
    const boolean = type === 'bool' || s.bit !== undefined;
    if (boolean && s.scale !== undefined) issue('scale', 'scale does not apply to a boolean (bool or bit) point');
    if (boolean && s.offset !== undefined) issue('offset', 'offset does not apply to a boolean (bool or bit) point');
    if (s.address + width > 65536) issue('address', `${type} spans ${width} registers: address must be 0..${65536 - width}`);
  });
export type ModbusSource = z.output<typeof sourceSchema>;

/** A source with every default applied, as the decoder and the planner use it. */
export interface ResolvedSource {
  table: ModbusTable;
  address: number;
  /** 'bool' for coils, discrete inputs, bool registers and bits. */
  type: ModbusValueType;
  /** Registers (or bits) read for this point: 1, 2, 4, or a string's length. */
  width: number;
  wordOrder: Order;
  byteOrder: Order;
  scale: number;
  offset: number;
  bit?: number;
  /** Device writes bits with FC22 / registers with FC23 (see deviceSchema). */
  maskWrite?: boolean;
  readWrite?: boolean;
}

export function resolveSource(source: ModbusSource, device: ModbusDeviceOptions): ResolvedSource {
  const isBits = source.table === 'coil' || source.table === 'discrete';
  const type: ModbusValueType = isBits ? 'bool' : (source.type ?? 'uint16');
  return {
    table: source.table,
    address: source.address,
    type,
    width: type === 'string' ? (source.length ?? 1) : TYPE_WIDTH[type],
    wordOrder: source.wordOrder ?? device.wordOrder,
    byteOrder: device.byteOrder,
    scale: source.scale ?? 1,
    offset: source.offset ?? 0,
    ...(source.bit !== undefined ? { bit: source.bit } : {}),
    ...(device.maskWrite ? { maskWrite: true } : {}),
    ...(device.readWrite ? { readWrite: true } : {}),
  };
}

/** True when the point's value is a boolean (coil, discrete input, bool register, bit). */
export function isBooleanSource(src: ResolvedSource): boolean {
  return src.type === 'bool' || src.bit !== undefined;
}
