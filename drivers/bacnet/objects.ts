// BACnet object types the driver reads and writes, by the hyphenated names of ASHRAE 135 Clause 21
// (`analog-value`), and the property identifiers it uses. Config names objects as `type:instance`.
// The numbers are the standard's (ASHRAE 135 BACnetObjectType / BACnetPropertyIdentifier), written
// out so validating a config does not load the BACnet stack (~0.2 s of CPU, docs/performance.md);
// objects.test.ts checks them against the stack's enums.

export const OBJECT_TYPES = {
  'analog-input': 0,
  'analog-output': 1,
  'analog-value': 2,
  'binary-input': 3,
  'binary-output': 4,
  'binary-value': 5,
  'multi-state-input': 13,
  'multi-state-output': 14,
  'multi-state-value': 19,
} as const;
export type ObjectTypeName = keyof typeof OBJECT_TYPES;
export const OBJECT_TYPE_NAMES = Object.keys(OBJECT_TYPES) as ObjectTypeName[];

export type Family = 'analog' | 'binary' | 'multistate';

export function familyOf(type: ObjectTypeName): Family {
  return type.startsWith('analog') ? 'analog' : type.startsWith('binary') ? 'binary' : 'multistate';
}

/** Inputs reflect the field: writing them needs out-of-service, which an operator console must not do. */
export function isInput(type: ObjectTypeName): boolean {
  return type.endsWith('-input');
}

export function typeName(type: number): ObjectTypeName | undefined {
  return OBJECT_TYPE_NAMES.find((n) => OBJECT_TYPES[n] === type);
}

export const OBJECT_REF = /^([a-z-]+):(\d{1,7})$/;
export const MAX_INSTANCE = 4_194_302; // 2^22 - 2; 4194303 is the "unconfigured" wildcard

export interface ObjectRef {
  type: ObjectTypeName;
  instance: number;
}

/** Parses `analog-value:103`; returns a message on failure. */
export function parseObjectRef(text: string): ObjectRef | string {
  const m = OBJECT_REF.exec(text);
  if (!m) return `must be <object-type>:<instance>, e.g. analog-value:3`;
  const type = m[1] as ObjectTypeName;
  if (!(type in OBJECT_TYPES)) return `unknown object type ${m[1]} (one of ${OBJECT_TYPE_NAMES.join(', ')})`;
  const instance = Number(m[2]);
  if (instance > MAX_INSTANCE) return `instance must be 0..${MAX_INSTANCE}`;
  return { type, instance };
}

export const objectKey = (type: number, instance: number) => `${type}:${instance}`;

export const PROP = {
  PRESENT_VALUE: 85,
  STATUS_FLAGS: 111,
  RELIABILITY: 103,
  OUT_OF_SERVICE: 81,
  PRIORITY_ARRAY: 87,
  OBJECT_NAME: 77,
  OBJECT_LIST: 76,
  DESCRIPTION: 28,
  UNITS: 117,
  STATE_TEXT: 110,
  ACTIVE_TEXT: 4,
  INACTIVE_TEXT: 46,
  SYSTEM_STATUS: 112,
} as const;

/** Reliability enumeration names (135 clause 21, BACnetReliability), for sample details. */
export const RELIABILITY_NAMES: Record<number, string> = {
  0: 'no-fault-detected', 1: 'no-sensor', 2: 'over-range', 3: 'under-range', 4: 'open-loop', 5: 'shorted-loop',
  6: 'no-output', 7: 'unreliable-other', 8: 'process-error', 9: 'multi-state-fault', 10: 'configuration-error',
  12: 'communication-failure', 13: 'member-fault', 14: 'monitored-object-fault', 15: 'tripped',
};
