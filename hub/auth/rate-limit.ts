// Failed-login limiter per username (known or not, so it reveals nothing about which names exist).

export class FailedLoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds until the next attempt is allowed, or 0 when allowed now. */
  retryAfterMs(username: string, now: number): number {
    const recent = this.recent(username, now);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures] + this.windowMs - now;
  }

  fail(username: string, now: number): void {
    const recent = this.recent(username, now);
    recent.push(now);
    this.failures.set(username, recent);
  }

  reset(username: string): void {
    this.failures.delete(username);
  }

  private recent(username: string, now: number): number[] {
    const list = (this.failures.get(username) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.failures.delete(username);
    return list;
  }
}
