// Read planning: the objects of one device, split into ReadPropertyMultiple requests of at most
// `maxObjects` objects, each asking for present value, status flags, reliability and out-of-service.
// Pure, so the batching is table-tested.
import { PROP } from './objects.js';

export interface PlannedObject {
  type: number;
  instance: number;
}

/** Properties read per object: value plus everything quality is made of. */
export const READ_PROPS = [PROP.PRESENT_VALUE, PROP.STATUS_FLAGS, PROP.RELIABILITY, PROP.OUT_OF_SERVICE] as const;

/** Splits objects (deduplicated, in first-seen order) into batches. */
export function planBatches<T extends PlannedObject>(objects: T[], maxObjects: number): T[][] {
  if (!(maxObjects >= 1)) throw new RangeError('maxObjects must be >= 1');
  const seen = new Set<string>();
  const unique = objects.filter((o) => {
    const k = `${o.type}:${o.instance}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += maxObjects) out.push(unique.slice(i, i + maxObjects));
  return out;
}

/** The ReadPropertyMultiple access specifications of one batch. */
export function accessSpecs(batch: PlannedObject[]): Array<{ objectId: { type: number; instance: number }; properties: Array<{ id: number }> }> {
  return batch.map((o) => ({ objectId: { type: o.type, instance: o.instance }, properties: READ_PROPS.map((id) => ({ id })) }));
}

/** When a subscription of `lifetimeS` is renewed: at half its life, so one lost renewal still leaves time. */
export function renewAfterMs(lifetimeS: number): number {
  return Math.max(1000, Math.floor((lifetimeS * 1000) / 2));
}
