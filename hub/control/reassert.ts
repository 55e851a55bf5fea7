// Re-asserting commands: the priority array is the hub's promise of what a device should hold, but a
// device that reboots comes back at its own default, and a hub restart finds devices in whatever
// state they drifted to. Each commanded point whose device value disagrees with the effective value
// gets it written again — at start once the point reads good, and when it comes back from
// comm_fail/stale — rate-limited per point, giving up (with one warning) after maxFailures tries.
import type { PointState, PointValue, Quality } from '../../contracts/point.js';
import type { HubLogger, PointStoreLike } from '../module.js';
import type { PriorityService, ReassertOutcome } from './priority-service.js';

export interface ReassertOptions {
  priority: Pick<PriorityService, 'commandedPoints' | 'reassert' | 'effective'>;
  store: PointStoreLike;
  now: () => number;
  log: HubLogger;
  /** At most one write per point this often (ms); default 60 000. */
  minIntervalMs?: number;
  /** Failed or unconfirmed writes per episode before giving up; default 5. */
  maxFailures?: number;
}

/** Whether a device value already is the commanded one (analog: equal to a millionth, for scaled registers). Pure. */
export function agrees(device: PointValue, effective: PointValue): boolean {
  if (typeof device === 'number' && typeof effective === 'number') {
    return Math.abs(device - effective) <= 1e-6 * Math.max(1, Math.abs(effective));
  }
  return device === effective;
}

export type ReassertReason = 'start' | 'reconnect';

interface Episode {
  reason: ReassertReason;
  failures: number;
  /** Earliest time of the next write attempt (ms). */
  nextAt: number;
  gaveUp: boolean;
}

export class Reasserter {
  private readonly episodes = new Map<string, Episode>();
  private readonly quality = new Map<string, Quality>();
  /** Last write attempt per point (ms), across episodes: the rate limit outlives an episode. */
  private readonly lastAttempt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly minIntervalMs: number;
  private readonly maxFailures: number;

  constructor(private readonly o: ReassertOptions) {
    this.minIntervalMs = o.minIntervalMs ?? 60_000;
    this.maxFailures = o.maxFailures ?? 5;
  }

  /** At start: every commanded point is re-asserted once it reads good (if it disagrees). */
  start(): void {
    for (const id of this.o.priority.commandedPoints()) this.open(id, 'start');
    this.tick();
  }

  /** Bus listener: a commanded point back from comm_fail/stale opens a new episode. */
  onChanged = (states: readonly PointState[]): void => {
    for (const s of states) {
      const before = this.quality.get(s.id);
      this.quality.set(s.id, s.quality);
      if (s.quality !== 'good') continue;
      const open = this.episodes.get(s.id);
      // A running episode keeps its failure count and rate limit; one that gave up gets a new chance.
      if (before !== undefined && before !== 'good' && (!open || open.gaveUp) && this.isCommanded(s.id)) this.open(s.id, 'reconnect');
      if (this.episodes.has(s.id)) this.attempt(s.id);
    }
  };

  /** Retries what is due (the module's timer). */
  tick(): void {
    for (const id of [...this.episodes.keys()]) this.attempt(id);
  }

  /** Points with an open episode (tests, health). */
  pending(): Array<{ pointId: string; reason: ReassertReason; failures: number; gaveUp: boolean }> {
    return [...this.episodes].map(([pointId, e]) => ({ pointId, reason: e.reason, failures: e.failures, gaveUp: e.gaveUp }));
  }

  /** Resolves when no write is in flight. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private open(id: string, reason: ReassertReason): void {
    const last = this.lastAttempt.get(id);
    this.episodes.set(id, { reason, failures: 0, nextAt: last === undefined ? 0 : last + this.minIntervalMs, gaveUp: false });
  }

  private isCommanded(id: string): boolean {
    return this.o.priority.effective(id).level !== null;
  }

  private attempt(id: string): void {
    const e = this.episodes.get(id);
    if (!e || e.gaveUp || this.inFlight.has(id)) return;
    const state = this.o.store.get(id);
    if (!state || state.quality !== 'good') return; // wait for the device to answer
    const eff = this.o.priority.effective(id);
    if (eff.level === null || eff.value === null || agrees(state.value, eff.value)) {
      this.episodes.delete(id); // released meanwhile, or the device kept the value: nothing to do
      return;
    }
    const now = this.o.now();
    if (now < e.nextAt) return;
    this.lastAttempt.set(id, now);
    e.nextAt = now + this.minIntervalMs;
    const run = this.o.priority.reassert(id, e.reason, agrees)
      .then((r) => this.settle(id, e, r))
      .catch((err) => this.settle(id, e, { pointId: id, outcome: 'failed', value: eff.value, deviceValue: state.value, level: eff.level, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, run);
  }

  private settle(id: string, e: Episode, r: ReassertOutcome): void {
    if (this.episodes.get(id) !== e) return; // a newer episode took over
    if (r.outcome === 'confirmed' || r.outcome === 'in-agreement' || r.outcome === 'not-commanded') {
      this.episodes.delete(id);
      if (r.outcome === 'confirmed') {
        this.o.log.info({ pointId: id, reason: e.reason, value: r.value, level: r.level, deviceHad: r.deviceValue }, 'command re-asserted: the device did not hold the effective value');
      }
      return;
    }
    if (r.outcome === 'not-good') return; // not an attempt: retried once the point reads good
    e.failures++;
    if (e.failures < this.maxFailures) return;
    e.gaveUp = true;
    this.o.log.warn(
      { pointId: id, reason: e.reason, value: r.value, deviceValue: r.deviceValue, failures: e.failures, err: r.error },
      'giving up re-asserting the command: the device does not take the effective value (until it reconnects again)',
    );
  }
}
