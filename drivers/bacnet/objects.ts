// BACnet object types the driver reads and writes, by the hyphenated names of ASHRAE 135 Clause 21
// (`analog-value`), and the property identifiers it uses. Config names objects as `type:instance`.
import { ObjectType, PropertyIdentifier } from '@bacnet-js/client';

export const OBJECT_TYPES = {
  'analog-input': ObjectType.ANALOG_INPUT,
  'analog-output': ObjectType.ANALOG_OUTPUT,
  'analog-value': ObjectType.ANALOG_VALUE,
  'binary-input': ObjectType.BINARY_INPUT,
  'binary-output': ObjectType.BINARY_OUTPUT,
  'binary-value': ObjectType.BINARY_VALUE,
  'multi-state-input': ObjectType.MULTI_STATE_INPUT,
  'multi-state-output': ObjectType.MULTI_STATE_OUTPUT,
  'multi-state-value': ObjectType.MULTI_STATE_VALUE,
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
  PRESENT_VALUE: PropertyIdentifier.PRESENT_VALUE,
  STATUS_FLAGS: PropertyIdentifier.STATUS_FLAGS,
  RELIABILITY: PropertyIdentifier.RELIABILITY,
  OUT_OF_SERVICE: PropertyIdentifier.OUT_OF_SERVICE,
  PRIORITY_ARRAY: PropertyIdentifier.PRIORITY_ARRAY,
  OBJECT_NAME: PropertyIdentifier.OBJECT_NAME,
  OBJECT_LIST: PropertyIdentifier.OBJECT_LIST,
  DESCRIPTION: PropertyIdentifier.DESCRIPTION,
  UNITS: PropertyIdentifier.UNITS,
  STATE_TEXT: PropertyIdentifier.STATE_TEXT,
  ACTIVE_TEXT: PropertyIdentifier.ACTIVE_TEXT,
  INACTIVE_TEXT: PropertyIdentifier.INACTIVE_TEXT,
  SYSTEM_STATUS: PropertyIdentifier.SYSTEM_STATUS,
} as const;

/** Reliability enumeration names (135 clause 21, BACnetReliability), for sample details. */
export const RELIABILITY_NAMES: Record<number, string> = {
  0: 'no-fault-detected', 1: 'no-sensor', 2: 'over-range', 3: 'under-range', 4: 'open-loop', 5: 'shorted-loop',
  6: 'no-output', 7: 'unreliable-other', 8: 'process-error', 9: 'multi-state-fault', 10: 'configuration-error',
  12: 'communication-failure', 13: 'member-fault', 14: 'monitored-object-fault', 15: 'tripped',
};
