// Cross-checks of a Modbus config that no single entry's schema can see (no I/O).
import type { ConfigIssue, DriverFactory } from '../../contracts/driver.js';
import { isBooleanSource, resolveSource, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from './schema.js';

type CheckInput = Parameters<NonNullable<DriverFactory<ModbusConnectionOptions, ModbusDeviceOptions, ModbusSource>['check']>>[0];

interface Owner {
  pointId: string;
  where: string;
}

interface RegisterUse {
  whole?: Owner;
  bits: Map<number, Owner>;
}

/**
 * - Two points covering the same register (or coil) of one unit behind one connection are an
 *   error, except distinct bits of one register. Devices sharing a unit id on one connection
 *   are the same physical unit, so they are checked together.
 * - A point's kind must match its source: binary ↔ boolean source, analog/multistate ↔ number.
 * - Input registers and discrete inputs are read-only.
 */
export function checkModbusConfig(devices: CheckInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const uses = new Map<string, RegisterUse>();
  for (const d of devices) {
    const unitId = d.device.options.unitId;
    for (const p of d.points) {
      const base = ['devices', d.index, 'points', p.index];
      const where = `devices[${d.index}].points[${p.index}]`;
      const src = resolveSource(p.point.source, d.device.options);
      const info = p.point.info;

      const boolean = isBooleanSource(src);
      if (info.kind === 'string' && src.type !== 'string') {
        issues.push({ path: [...base, 'kind'], message: `string point needs type string (with a length in registers), not ${src.table} ${src.type}` });
      } else if (info.kind !== 'string' && src.type === 'string') {
        issues.push({ path: [...base, 'kind'], message: `type string needs kind string, not ${info.kind}` });
      } else if (info.kind === 'string') {
        // a string register block: nothing more to match
      } else if (info.kind === 'binary' && !boolean) {
        issues.push({ path: [...base, 'kind'], message: `binary point needs a boolean source (coil, discrete, type bool or bit), not ${src.table} ${src.type}` });
      } else if (info.kind !== 'binary' && boolean) {
        issues.push({ path: [...base, 'kind'], message: `${info.kind} point needs a numeric source, but ${src.table} ${src.type}${src.bit !== undefined ? ` bit ${src.bit}` : ''} is boolean` });
      }
      if (info.writable && (src.table === 'input' || src.table === 'discrete')) {
        issues.push({ path: [...base, 'writable'], message: `${src.table === 'input' ? 'input registers' : 'discrete inputs'} are read-only` });
      }

      const owner: Owner = { pointId: info.id, where };
      for (let r = src.address; r < src.address + src.width; r++) {
        const key = `${d.connection.id}|${unitId}|${src.table}|${r}`;
        let use = uses.get(key);
        if (!use) uses.set(key, (use = { bits: new Map() }));
        const clash = use.whole ?? (src.bit === undefined ? use.bits.values().next().value : use.bits.get(src.bit));
        if (clash) {
          const what = src.table === 'coil' || src.table === 'discrete' ? src.table : `${src.table} register`;
          issues.push({
            path: [...base, 'source', src.bit !== undefined && !use.whole ? 'bit' : 'address'],
            message: `overlaps ${clash.pointId} (${clash.where}) at ${what} ${r}${src.bit !== undefined ? ` bit ${src.bit}` : ''} of unit ${unitId} on connection ${d.connection.id}`,
          });
          break; // one issue per point is enough
        }
        if (src.bit === undefined) use.whole = owner;
        else use.bits.set(src.bit, owner);
      }
    }
  }
  return issues;
}
