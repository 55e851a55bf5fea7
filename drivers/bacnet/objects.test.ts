// objects.ts and decode.ts write the standard's numbers out (so checking a config does not load the
// BACnet stack): they must be the numbers the stack itself uses.
import { describe, expect, it } from 'vitest';
import { ApplicationTag as StackTag, ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import { ApplicationTag } from './decode.js';
import { OBJECT_TYPES, PROP } from './objects.js';

const upper = (name: string) => name.toUpperCase().replace(/-/g, '_');

describe('BACnet numbers written out', () => {
  it('object types are the stack\'s', () => {
    for (const [name, n] of Object.entries(OBJECT_TYPES)) expect([name, n]).toEqual([name, ObjectType[upper(name) as keyof typeof ObjectType]]);
  });
  it('property identifiers are the stack\'s', () => {
    for (const [name, n] of Object.entries(PROP)) expect([name, n]).toEqual([name, PropertyIdentifier[name as keyof typeof PropertyIdentifier]]);
  });
  it('application tags are the stack\'s', () => {
    for (const [name, n] of Object.entries(ApplicationTag)) expect([name, n]).toEqual([name, StackTag[name as keyof typeof StackTag]]);
  });
});
