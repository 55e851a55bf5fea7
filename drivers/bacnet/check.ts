// Cross-checks of a BACnet config that no single entry's schema can see (no I/O).
import type { ConfigIssue, DriverFactory } from '../../contracts/driver.js';
import { familyOf, isInput, parseObjectRef } from './objects.js';
import type { BacnetConnectionOptions, BacnetDeviceOptions, BacnetSource } from './schema.js';

type CheckInput = Parameters<NonNullable<DriverFactory<BacnetConnectionOptions, BacnetDeviceOptions, BacnetSource>['check']>>[0];

/**
 * - A point's kind must match its object: analog-* → analog, binary-* → binary, multi-state-* →
 *   multistate (BACnet has no string present values the driver maps).
 * - Input objects are read-only (a write needs out-of-service, which is commissioning, not operation).
 * - Two points on the same object of the same device instance would fight over one value.
 * - Two device entries on one connection with the same instance are the same device: their points
 *   are checked together.
 */
export function checkBacnetConfig(devices: CheckInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const owners = new Map<string, string>();
  for (const d of devices) {
    for (const p of d.points) {
      const base = ['devices', d.index, 'points', p.index];
      const ref = parseObjectRef(p.point.source.object);
      if (typeof ref === 'string') continue; // the schema already said so
      const info = p.point.info;
      const family = familyOf(ref.type);
      if (info.kind !== family) {
        issues.push({ path: [...base, 'kind'], message: `${ref.type} needs kind ${family}, not ${info.kind}` });
      }
      if (info.writable && isInput(ref.type)) {
        issues.push({ path: [...base, 'writable'], message: `${ref.type} objects are read-only; command the matching output or value object` });
      }
      const key = `${d.connection.id}|${d.device.options.instance}|${ref.type}:${ref.instance}`;
      const clash = owners.get(key);
      if (clash) issues.push({ path: [...base, 'source', 'object'], message: `${ref.type}:${ref.instance} of device ${d.device.options.instance} is already point ${clash}` });
      else owners.set(key, info.id);
    }
  }
  return issues;
}
