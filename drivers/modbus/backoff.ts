// Reconnect delays: exponential from initialMs to maxMs, with ±20 % jitter so that many
// connections to one gateway do not retry in lock-step.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/** Delay before retry number `attempt` (0 = first retry). `random` in [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number = Math.random()): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  const jittered = base * (0.8 + 0.4 * random);
  return Math.round(Math.min(options.maxMs, Math.max(options.initialMs * 0.8, jittered)));
}
