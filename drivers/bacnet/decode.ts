// Pure mapping from what a BACnet device says about an object (present value, status flags,
// reliability, out-of-service) to a Watchfloor sample value and quality, and back for writes.
import type { PointValue, Quality } from '../../contracts/point.js';
import { RELIABILITY_NAMES, type Family } from './objects.js';

/** BACnet application tags (ASHRAE 135 clause 20.2.1.4), as the stack's ApplicationTag enum numbers them (objects.test.ts checks). */
export const ApplicationTag = { NULL: 0, UNSIGNED_INTEGER: 2, SIGNED_INTEGER: 3, REAL: 4, DOUBLE: 5, ENUMERATED: 9 } as const;

/** An application-tagged value as the npm stack decodes it. */
export interface TaggedValue {
  type: number;
  value: unknown;
}

export interface ObjectReading {
  presentValue?: TaggedValue;
  /** [in-alarm, fault, overridden, out-of-service]; undefined when not read/notified. */
  statusFlags?: boolean[];
  reliability?: number;
  outOfService?: boolean;
  /** Error text when the present value could not be read. */
  error?: string;
}

/** Shortest decimal that is the same float32, so 21.7 shows as 21.7, not 21.700000762939453. */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === f) return c;
  }
  return v;
}

/** Present value → point value for the object's family; a string says why it cannot be used. */
export function decodePresentValue(family: Family, tv: TaggedValue | undefined): PointValue | { invalid: string } {
  if (!tv) return { invalid: 'no present value' };
  const { type, value } = tv;
  if (type === ApplicationTag.NULL) return { invalid: 'present value is NULL' };
  const num = typeof value === 'number' ? value : NaN;
  switch (family) {
    case 'analog':
      if (type !== ApplicationTag.REAL && type !== ApplicationTag.DOUBLE && type !== ApplicationTag.UNSIGNED_INTEGER && type !== ApplicationTag.SIGNED_INTEGER) {
        return { invalid: `analog present value has application tag ${type}` };
      }
      if (!Number.isFinite(num)) return { invalid: `device sent ${String(value)}` };
      return type === ApplicationTag.REAL ? shortestFloat32(num) : num;
    case 'binary':
      if (type !== ApplicationTag.ENUMERATED) return { invalid: `binary present value has application tag ${type}` };
      if (num !== 0 && num !== 1) return { invalid: `binary present value ${String(value)} is neither inactive (0) nor active (1)` };
      return num === 1;
    case 'multistate':
      if (type !== ApplicationTag.UNSIGNED_INTEGER) return { invalid: `multi-state present value has application tag ${type}` };
      if (!Number.isInteger(num) || num < 1) return { invalid: `multi-state present value ${String(value)} is not a state (1..n)` };
      return num;
  }
}

/**
 * Quality from the object's health (135 clause 12): a fault (reliability other than
 * no-fault-detected, or the FAULT status flag) is `bad`; out of service means the value is not the
 * field's but somebody's test value, so `uncertain`. OVERRIDDEN (a local hand switch) is still the
 * real value and stays `good`; IN_ALARM is the device's own alarm, not a quality.
 */
export function qualityOf(r: ObjectReading): { quality: Quality; detail?: string } {
  if (r.error) return { quality: 'bad', detail: r.error };
  if (r.reliability !== undefined && r.reliability !== 0) {
    return { quality: 'bad', detail: `reliability: ${RELIABILITY_NAMES[r.reliability] ?? `code ${r.reliability}`}` };
  }
  if (r.statusFlags?.[1]) return { quality: 'bad', detail: 'status flags: fault' };
  if (r.outOfService || r.statusFlags?.[3]) return { quality: 'uncertain', detail: 'out of service' };
  return { quality: 'good' };
}

/** Reading → the sample's value/quality/detail (value null unless good or uncertain). */
export function sampleOf(family: Family, r: ObjectReading): { value: PointValue; quality: Quality; detail?: string } {
  const q = qualityOf(r);
  if (q.quality === 'bad') return { value: null, ...q };
  const v = decodePresentValue(family, r.presentValue);
  if (v !== null && typeof v === 'object') return { value: null, quality: 'bad', detail: v.invalid };
  return { value: v, ...q };
}

/** The status flags bit string as the npm stack decodes it ({bitsUsed, value: bytes, LSB first}). */
export function statusFlagsOf(v: unknown): boolean[] | undefined {
  const bs = v as { bitsUsed?: number; value?: number[] } | undefined;
  if (!bs || !Array.isArray(bs.value)) return undefined;
  return [0, 1, 2, 3].map((i) => ((bs.value![i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
}

/** A point value → the application-tagged value WriteProperty sends. null = relinquish (NULL). */
export function encodeWrite(family: Family, value: PointValue): TaggedValue | string {
  if (value === null) return { type: ApplicationTag.NULL, value: null };
  switch (family) {
    case 'analog':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `value ${JSON.stringify(value)} is not a finite number`;
      if (Math.abs(value) > 3.4e38) return `value ${value} does not fit a BACnet REAL`;
      return { type: ApplicationTag.REAL, value };
    case 'binary': {
      const b = value === true || value === 1 ? 1 : value === false || value === 0 ? 0 : null;
      if (b === null) return `value ${JSON.stringify(value)} is not true/false`;
      return { type: ApplicationTag.ENUMERATED, value: b };
    }
    case 'multistate':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return `value ${JSON.stringify(value)} is not a state number (1..n)`;
      return { type: ApplicationTag.UNSIGNED_INTEGER, value };
  }
}
