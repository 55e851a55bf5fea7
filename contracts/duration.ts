// Durations as config and test-run files write them: '30s', '1.5m', '500ms', '2h', or a plain
// number of seconds. Shared by the simulators' scenarios and the hub's test runs. Pure.

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** '30s', '1.5m', '500ms', '2h', or a plain number of seconds → milliseconds; throws naming the bad value. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`duration ${value} must be a non-negative number of seconds`);
    return value * 1000;
  }
  const m = DURATION.exec(value.trim());
  if (!m) throw new Error(`duration "${value}" is not like 500ms, 30s, 2m or 1h`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
