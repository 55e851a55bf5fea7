// The reconnect policy every driver uses (pure; table-tested in backoff.test.ts).
//
// Exponential backoff with ±20 % jitter, so connections that fell together do not retry in lock-step,
// capped twice: by `maxMs` (how hard a broken endpoint is hammered) and, for the cheap connect probe of
// a device that is down, by `probeCapMs` — the driver's poll interval. An operator must see a device
// that came back as `good` within two poll intervals (issue 11, item 13): one interval until the next
// probe at most, and the read in the same cycle. The cost stays bounded: at most one connect attempt
// per poll interval per connection, the rate at which it polled while it was up.
//
// Drivers keep their own option shapes for now (modbus/onvif/opcua backoff.ts); they call this.

export interface ReconnectPolicy {
  /** First delay (ms). */
  initialMs: number;
  /** Longest delay (ms) for attempts that are not capped by `probeCapMs`. */
  maxMs: number;
  /** Connect probes while down are never further apart than this (ms): the poll interval. */
  probeCapMs?: number;
}

/** Delay before reconnect attempt `attempt` (0 = the first retry); `random` in [0, 1). */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, random: number = Math.random()): number {
  const n = Math.max(0, Math.min(Number.isFinite(attempt) ? Math.floor(attempt) : 0, 30));
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** n);
  const jittered = Math.min(policy.maxMs, base * (0.8 + 0.4 * random));
  const capped = policy.probeCapMs !== undefined ? Math.min(jittered, policy.probeCapMs) : jittered;
  return Math.max(0, Math.round(capped));
}

/**
 * For drivers that try to connect at the start of a poll cycle: is the next attempt due at this cycle?
 * Due means the cycle is nearer to `dueAt` than the one after it, so a delay equal to the poll interval
 * means "the next cycle", not "the one after" (cycles start a few ms before the exact due time).
 */
export function connectDue(now: number, dueAt: number, pollMs: number): boolean {
  return now >= dueAt - pollMs / 2;
}
