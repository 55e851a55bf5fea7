// The simulated device's objects: present value, status flags, reliability, out-of-service and,
// for commandable objects, a real 16-slot priority array (135 clause 19.2) — the effective value
// is the highest non-NULL slot, else relinquish-default.
import type { AppValue } from './codec.js';

export const OT = { AI: 0, AO: 1, AV: 2, BI: 3, BO: 4, BV: 5, DEVICE: 8, MSI: 13, MSO: 14, MSV: 19 } as const;
export const PROP = {
  ACTIVE_TEXT: 4, COV_INCREMENT: 22, DESCRIPTION: 28, EVENT_STATE: 36, INACTIVE_TEXT: 46, MODEL_NAME: 70,
  NUMBER_OF_STATES: 74, OBJECT_IDENTIFIER: 75, OBJECT_LIST: 76, OBJECT_NAME: 77, OBJECT_TYPE: 79, OUT_OF_SERVICE: 81,
  PRESENT_VALUE: 85, PRIORITY_ARRAY: 87, PROTOCOL_VERSION: 98, RELIABILITY: 103, RELINQUISH_DEFAULT: 104,
  SEGMENTATION_SUPPORTED: 107, STATE_TEXT: 110, STATUS_FLAGS: 111, SYSTEM_STATUS: 112, UNITS: 117,
  VENDOR_IDENTIFIER: 120, VENDOR_NAME: 121, MAX_APDU: 62, PROTOCOL_REVISION: 139,
} as const;
export const ERR_CLASS = { DEVICE: 0, OBJECT: 1, PROPERTY: 2, RESOURCES: 3, SERVICES: 5 } as const;
export const ERR_CODE = {
  INVALID_DATA_TYPE: 9, SERVICE_REQUEST_DENIED: 29, UNKNOWN_OBJECT: 31, UNKNOWN_PROPERTY: 32, VALUE_OUT_OF_RANGE: 37,
  WRITE_ACCESS_DENIED: 40, INVALID_ARRAY_INDEX: 42, PROPERTY_IS_NOT_AN_ARRAY: 50,
} as const;

export type Family = 'analog' | 'binary' | 'multistate';
export const FAMILY: Record<number, Family> = {
  [OT.AI]: 'analog', [OT.AO]: 'analog', [OT.AV]: 'analog',
  [OT.BI]: 'binary', [OT.BO]: 'binary', [OT.BV]: 'binary',
  [OT.MSI]: 'multistate', [OT.MSO]: 'multistate', [OT.MSV]: 'multistate',
};
const ALWAYS_COMMANDABLE = new Set<number>([OT.AO, OT.BO, OT.MSO]);

export interface ObjectSpec {
  type: number;
  instance: number;
  name: string;
  description?: string;
  /** Engineering units enumeration (analog only). */
  units?: number;
  value: number;
  /** Values/commandable: AV/BV/MSV with a priority array. AO/BO/MSO always have one. */
  commandable?: boolean;
  /** Writable without priority array (AV/BV/MSV setpoints that are not commandable). */
  writable?: boolean;
  stateText?: string[];
  activeText?: string;
  inactiveText?: string;
  covIncrement?: number;
  min?: number;
  max?: number;
}

export class BacObject {
  readonly type: number;
  readonly instance: number;
  readonly family: Family;
  readonly commandable: boolean;
  /** What the field/process says (inputs), or what the controller computes. */
  processValue: number;
  readonly priority: Array<number | null> = new Array(16).fill(null);
  relinquishDefault: number;
  reliability = 0;
  outOfService = false;
  overridden = false;
  /** Value last sent in a COV notification, for the COV increment test. */
  lastCov: { value: number; flags: string } | null = null;

  constructor(readonly spec: ObjectSpec) {
    this.type = spec.type;
    this.instance = spec.instance;
    this.family = FAMILY[spec.type];
    this.commandable = ALWAYS_COMMANDABLE.has(spec.type) || !!spec.commandable;
    this.processValue = spec.value;
    this.relinquishDefault = spec.value;
  }

  get key(): string {
    return `${this.type}:${this.instance}`;
  }

  presentValue(): number {
    if (!this.commandable) return this.processValue;
    for (const v of this.priority) if (v !== null) return v;
    return this.relinquishDefault;
  }

  /** The active priority (1..16) or null when at relinquish default. */
  activePriority(): number | null {
    if (!this.commandable) return null;
    const i = this.priority.findIndex((v) => v !== null);
    return i < 0 ? null : i + 1;
  }

  statusFlags(): boolean[] {
    return [false, this.reliability !== 0, this.overridden, this.outOfService];
  }

  encodeValue(v: number): AppValue {
    if (this.family === 'analog') return { t: 'real', v };
    if (this.family === 'binary') return { t: 'enum', v: v ? 1 : 0 };
    return { t: 'unsigned', v };
  }

  /** A property's value; undefined = unknown property. `index` reads one array element (0 = size). */
  read(prop: number, index?: number): AppValue[] | { error: number } | undefined {
    const s = this.spec;
    const one = (v: AppValue | undefined) => (v === undefined ? undefined : [v]);
    switch (prop) {
      case PROP.OBJECT_IDENTIFIER: return one({ t: 'oid', type: this.type, instance: this.instance });
      case PROP.OBJECT_NAME: return one({ t: 'string', v: s.name });
      case PROP.OBJECT_TYPE: return one({ t: 'enum', v: this.type });
      case PROP.DESCRIPTION: return one({ t: 'string', v: s.description ?? '' });
      case PROP.PRESENT_VALUE: return one(this.encodeValue(this.presentValue()));
      case PROP.STATUS_FLAGS: return one({ t: 'bits', v: this.statusFlags() });
      case PROP.RELIABILITY: return one({ t: 'enum', v: this.reliability });
      case PROP.OUT_OF_SERVICE: return one({ t: 'bool', v: this.outOfService });
      case PROP.EVENT_STATE: return one({ t: 'enum', v: 0 });
      case PROP.UNITS: return this.family === 'analog' ? one({ t: 'enum', v: s.units ?? 95 }) : undefined;
      case PROP.COV_INCREMENT: return this.family === 'analog' ? one({ t: 'real', v: s.covIncrement ?? 0.1 }) : undefined;
      case PROP.ACTIVE_TEXT: return this.family === 'binary' ? one({ t: 'string', v: s.activeText ?? 'active' }) : undefined;
      case PROP.INACTIVE_TEXT: return this.family === 'binary' ? one({ t: 'string', v: s.inactiveText ?? 'inactive' }) : undefined;
      case PROP.NUMBER_OF_STATES: return this.family === 'multistate' ? one({ t: 'unsigned', v: s.stateText?.length ?? 2 }) : undefined;
      case PROP.STATE_TEXT: {
        if (this.family !== 'multistate') return undefined;
        return arrayRead((s.stateText ?? []).map((v) => ({ t: 'string', v }) as AppValue), index);
      }
      case PROP.PRIORITY_ARRAY:
        if (!this.commandable) return undefined;
        return arrayRead(this.priority.map((v) => (v === null ? ({ t: 'null' } as AppValue) : this.encodeValue(v))), index);
      case PROP.RELINQUISH_DEFAULT: return this.commandable ? one(this.encodeValue(this.relinquishDefault)) : undefined;
      default: return undefined;
    }
  }

  /** WriteProperty; returns an error code or null. Clause 19.2: a write without priority uses 16. */
  write(prop: number, value: AppValue, priority: number | undefined): { cls: number; code: number } | null {
    const denied = { cls: ERR_CLASS.PROPERTY, code: ERR_CODE.WRITE_ACCESS_DENIED };
    if (prop === PROP.OUT_OF_SERVICE) {
      if (value.t !== 'bool') return { cls: ERR_CLASS.PROPERTY, code: ERR_CODE.INVALID_DATA_TYPE };
      this.outOfService = value.v;
      return null;
    }
    if (prop !== PROP.PRESENT_VALUE) return denied;
    if (this.commandable) {
      const p = priority ?? 16;
      if (p < 1 || p > 16 || p === 6) return { cls: ERR_CLASS.PROPERTY, code: ERR_CODE.VALUE_OUT_OF_RANGE };
      if (value.t === 'null') {
        this.priority[p - 1] = null;
        return null;
      }
      const v = this.decodeValue(value);
      if (typeof v !== 'number') return v;
      this.priority[p - 1] = v;
      return null;
    }
    // Inputs take writes only while out of service (the operator simulates the field).
    const writableNow = this.spec.writable || this.outOfService;
    if (!writableNow) return denied;
    if (value.t === 'null') return { cls: ERR_CLASS.PROPERTY, code: ERR_CODE.INVALID_DATA_TYPE };
    const v = this.decodeValue(value);
    if (typeof v !== 'number') return v;
    this.processValue = v;
    return null;
  }

  private decodeValue(value: AppValue): number | { cls: number; code: number } {
    const bad = { cls: ERR_CLASS.PROPERTY, code: ERR_CODE.INVALID_DATA_TYPE };
    const range = { cls: ERR_CLASS.PROPERTY, code: ERR_CODE.VALUE_OUT_OF_RANGE };
    if (this.family === 'analog') {
      if (value.t !== 'real' && value.t !== 'double' && value.t !== 'unsigned' && value.t !== 'signed') return bad;
      const v = value.v;
      if ((this.spec.min !== undefined && v < this.spec.min) || (this.spec.max !== undefined && v > this.spec.max)) return range;
      return v;
    }
    if (this.family === 'binary') {
      if (value.t !== 'enum' && value.t !== 'unsigned') return bad;
      return value.v > 1 ? range : value.v;
    }
    if (value.t !== 'unsigned') return bad;
    const n = this.spec.stateText?.length ?? 2;
    return value.v < 1 || value.v > n ? range : value.v;
  }
}

function arrayRead(items: AppValue[], index: number | undefined): AppValue[] | { error: number } {
  if (index === undefined) return items;
  if (index === 0) return [{ t: 'unsigned', v: items.length }];
  if (index > items.length) return { error: ERR_CODE.INVALID_ARRAY_INDEX };
  return [items[index - 1]];
}
