// Cross-checks of derived points that no single entry's schema can see (no I/O): the signal is
// known, the point it derives from exists and has the expected kind, kinds match, and no signal
// of a point is declared twice.
import type { ConfigIssue, DriverFactory } from '../../contracts/driver.js';
import type { DerivedConnectionOptions, DerivedDeviceOptions, DerivedSource } from './schema.js';
import { SIGNAL_CATALOGUE, type SignalSpec } from './signals.js';

type Factory = DriverFactory<DerivedConnectionOptions, DerivedDeviceOptions, DerivedSource>;
type CheckInput = Parameters<NonNullable<Factory['check']>>[0];
type SiteInput = Parameters<NonNullable<Factory['check']>>[1];

export function checkDerivedConfig(devices: CheckInput, site?: SiteInput, catalogue: Record<string, SignalSpec> = SIGNAL_CATALOGUE): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  const known = Object.keys(catalogue).join(', ');
  for (const { index: di, points } of devices) {
    for (const { index: pi, point } of points) {
      const at = ['devices', di, 'points', pi];
      const { signal, of } = point.source;
      const spec = catalogue[signal];
      if (!spec) {
        issues.push({ path: [...at, 'source', 'signal'], message: `unknown signal "${signal}" (known: ${known})` });
        continue;
      }
      if (point.info.kind !== spec.kind) issues.push({ path: [...at, 'kind'], message: `a ${signal} point is ${spec.kind}, not ${point.info.kind}` });
      if (point.info.writable) issues.push({ path: [...at, 'writable'], message: `${signal} is produced by ${spec.producer} and cannot be written` });
      const key = `${signal} ${of}`;
      const prior = seen.get(key);
      if (prior) issues.push({ path: [...at, 'source'], message: `${signal} of ${of} is already declared as ${prior}` });
      else seen.set(key, point.info.id);
      if (!site) continue;
      const target = site.points.get(of);
      if (!target) issues.push({ path: [...at, 'source', 'of'], message: `unknown point "${of}" (${signal} must be derived from ${spec.of.what})` });
      else if (target.kind !== spec.of.kind) {
        issues.push({ path: [...at, 'source', 'of'], message: `"${of}" is ${target.kind}; ${signal} is derived from ${spec.of.what} (${spec.of.kind})` });
      } else if (target.protocol === 'derived') {
        issues.push({ path: [...at, 'source', 'of'], message: `"${of}" is itself a derived point` });
      }
    }
  }
  return issues;
}
