// Pure conversions between OPC UA values/status codes and the point model.
import type { PointKind, PointValue, Quality } from '../../contracts/point.js';

/** OPC UA built-in DataType ids (Part 6, 5.1.2) that the driver can write. */
export const BuiltIn = {
  Boolean: 1,
  SByte: 2,
  Byte: 3,
  Int16: 4,
  UInt16: 5,
  Int32: 6,
  UInt32: 7,
  Int64: 8,
  UInt64: 9,
  Float: 10,
  Double: 11,
  String: 12,
} as const;
export type BuiltInName = keyof typeof BuiltIn;

const INTEGER_RANGES: Partial<Record<BuiltInName, [number, number]>> = {
  SByte: [-128, 127],
  Byte: [0, 255],
  Int16: [-32768, 32767],
  UInt16: [0, 65535],
  Int32: [-2147483648, 2147483647],
  UInt32: [0, 4294967295],
  // JavaScript numbers are exact only up to 2^53; larger values are refused rather than rounded.
  Int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UInt64: [0, Number.MAX_SAFE_INTEGER],
};
const FLOAT_MAX = 3.4028234663852886e38;

export function builtInName(id: number): BuiltInName | undefined {
  return (Object.keys(BuiltIn) as BuiltInName[]).find((k) => BuiltIn[k] === id);
}

/** Status code → quality: the top two bits are the severity (00 Good, 01 Uncertain, 1x Bad). */
export function qualityOf(status: { value: number; name: string }): { quality: Quality; detail?: string } {
  const severity = status.value >>> 30;
  if (severity === 0) return { quality: 'good' };
  return { quality: severity === 1 ? 'uncertain' : 'bad', detail: status.name };
}

/** A raw variant value (as node-opcua decodes it) → a point value of the point's kind. */
export function toPointValue(raw: unknown, kind: PointKind): PointValue {
  let v: unknown = raw;
  // node-opcua decodes Int64/UInt64 as [high, low] 32-bit words.
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) v = v[0] * 2 ** 32 + v[1];
  if (v instanceof Date) v = v.getTime();
  if (v && typeof v === 'object' && 'text' in v) v = (v as { text: unknown }).text ?? null;
  if (v === undefined || v === null) return null;
  switch (kind) {
    case 'binary':
      return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : null;
    case 'analog':
    case 'multistate':
      return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null;
    case 'string':
      return typeof v === 'string' ? v : String(v);
  }
}

export type WriteCheck = { ok: true; value: number | boolean | string } | { ok: false; reason: string };

/**
 * Checks that `value` fits the node's DataType and the point's limits before
 * anything is sent. Never rounds or truncates: 3.5 into an Int32 is refused.
 */
export function checkWriteValue(
  dataType: BuiltInName,
  value: PointValue,
  limits?: { min?: number; max?: number },
  states?: Record<string, unknown>,
): WriteCheck {
  if (value === null) return { ok: false, reason: 'null cannot be written' };
  if (dataType === 'Boolean') {
    if (typeof value === 'boolean') return { ok: true, value };
    if (value === 0 || value === 1) return { ok: true, value: value === 1 };
    return { ok: false, reason: `node is Boolean: expected true/false (or 0/1), got ${JSON.stringify(value)}` };
  }
  if (dataType === 'String') {
    if (typeof value === 'string') return { ok: true, value };
    return { ok: false, reason: `node is String: expected text, got ${JSON.stringify(value)}` };
  }
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else return { ok: false, reason: `node is ${dataType}: expected a number, got ${JSON.stringify(value)}` };
  if (!Number.isFinite(n)) return { ok: false, reason: `node is ${dataType}: ${n} is not a finite number` };
  const range = INTEGER_RANGES[dataType];
  if (range) {
    if (!Number.isInteger(n)) return { ok: false, reason: `node is ${dataType}: ${n} is not an integer (range ${range[0]}..${range[1]})` };
    if (n < range[0] || n > range[1]) return { ok: false, reason: `node is ${dataType}: ${n} is outside ${range[0]}..${range[1]}` };
  } else if (dataType === 'Float' && Math.abs(n) > FLOAT_MAX) {
    return { ok: false, reason: `node is Float: ${n} is outside ±${FLOAT_MAX}` };
  }
  if (states && Object.keys(states).length && !(String(n) in states)) {
    return { ok: false, reason: `${n} is not one of the point's states (${Object.keys(states).join(', ')})` };
  }
  if (limits?.min !== undefined && n < limits.min) return { ok: false, reason: `${n} is below the point's minimum ${limits.min} (limits ${limits.min}..${limits.max ?? '∞'})` };
  if (limits?.max !== undefined && n > limits.max) return { ok: false, reason: `${n} is above the point's maximum ${limits.max} (limits ${limits.min ?? '-∞'}..${limits.max})` };
  return { ok: true, value: n };
}

/** Read-back comparison: Float loses precision on the wire, so compare at float32 precision there. */
export function sameValue(dataType: BuiltInName, written: number | boolean | string, readBack: unknown): boolean {
  if (dataType === 'Float' && typeof written === 'number' && typeof readBack === 'number') return Math.fround(written) === Math.fround(readBack);
  if (Array.isArray(readBack) && typeof written === 'number') return toPointValue(readBack, 'analog') === written;
  return written === readBack;
}
