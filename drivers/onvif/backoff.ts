// Reconnect delay: doubles from initialMs to maxMs with ±20 % jitter so cameras that fell
// together do not all come back in the same instant.
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Did the camera refuse our credentials (as opposed to not answering)? */
export function isAuthFailure(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /not ?authori[sz]ed|NotAuthorized|authentication failed|401/i.test(text);
}
