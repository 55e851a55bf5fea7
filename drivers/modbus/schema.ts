// Config schemas of the Modbus TCP driver: connection options, device options, point source.
// Validation only (no I/O). Unknown keys are refused everywhere.
import { z } from 'zod';

export const TABLES = ['holding', 'input', 'coil', 'discrete'] as const;
export type ModbusTable = (typeof TABLES)[number];

export const VALUE_TYPES = ['int16', 'uint16', 'int32', 'uint32', 'float32', 'bool'] as const;
export type ModbusValueType = (typeof VALUE_TYPES)[number];

export const ORDERS = ['BE', 'LE'] as const;
export type Order = (typeof ORDERS)[number];

/** Registers a value type occupies. */
export const TYPE_WIDTH: Record<ModbusValueType, 1 | 2> = {
  int16: 1,
  uint16: 1,
  bool: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
};

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const backoffSchema = z
  .strictObject({
    initialMs: int(10, 3_600_000).default(500),
    maxMs: int(10, 3_600_000).default(30_000),
  })
  .refine((b) => b.initialMs <= b.maxMs, { message: 'initialMs must be <= maxMs', path: ['initialMs'] });

export const connectionSchema = z.strictObject({
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
});
export type ModbusConnectionOptions = z.output<typeof connectionSchema>;

export const deviceSchema = z.strictObject({
  unitId: int(0, 255).default(1),
  /** Byte order inside each 16-bit register. 'LE' swaps the two bytes (rare, some meters). */
  byteOrder: z.enum(ORDERS).default('BE'),
  /** Word order of 32-bit values, device-wide default: 'BE' = high word first. */
  wordOrder: z.enum(ORDERS).default('BE'),
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
    const width = TYPE_WIDTH[type];
    if (s.bit !== undefined && width !== 1) issue('bit', `bit needs a 16-bit type (uint16, int16 or bool), not ${type}`);
    if (s.wordOrder !== undefined && width !== 2) issue('wordOrder', `wordOrder applies to 32-bit types, not ${type}`);
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
  /** Registers (or bits) read for this point: 1 or 2. */
  width: 1 | 2;
  wordOrder: Order;
  byteOrder: Order;
  scale: number;
  offset: number;
  bit?: number;
}

export function resolveSource(source: ModbusSource, device: ModbusDeviceOptions): ResolvedSource {
  const isBits = source.table === 'coil' || source.table === 'discrete';
  const type: ModbusValueType = isBits ? 'bool' : (source.type ?? 'uint16');
  return {
    table: source.table,
    address: source.address,
    type,
    width: TYPE_WIDTH[type],
    wordOrder: source.wordOrder ?? device.wordOrder,
    byteOrder: device.byteOrder,
    scale: source.scale ?? 1,
    offset: source.offset ?? 0,
    ...(source.bit !== undefined ? { bit: source.bit } : {}),
  };
}

/** True when the point's value is a boolean (coil, discrete input, bool register, bit). */
export function isBooleanSource(src: ResolvedSource): boolean {
  return src.type === 'bool' || src.bit !== undefined;
}
