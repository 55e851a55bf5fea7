// Applies faults and plays scenarios against the running simulators, and takes them back off.
// Each simulator is reached through a small adapter (adapters.ts builds them from the real ones),
// so the engine is tested with fakes and knows no protocol.
import { type FaultSpec, faultValue, flapDown, isValueFault } from './faults.js';
import { NO_HISTORY_PROXY } from './messages.js';

type Value = number | boolean;

/** One field that a value fault can hold and hand back. */
export interface FieldAccess {
  get(): Value;
  set(v: Value): void;
  release(): void;
}

/** An endpoint that can vanish and come back (a gateway, the OPC UA server, a camera). */
export interface EndpointAccess {
  down(): Promise<void>;
  up(): Promise<void>;
}

export interface ScenarioInfo {
  name: string;
  simulator: string;
  description: string;
}

export interface SimAdapters {
  /** Resolves a fault target to a field; throws a clear error for an unknown one. */
  field(target: FaultSpec['target']): FieldAccess;
  endpoint(target: FaultSpec['target']): EndpointAccess;
  scenarios(): ScenarioInfo[];
  /** Plays a scenario until it ends or the signal aborts; returns what it changed (released on stop). */
  playScenario(name: string, opts: { timeScale: number; signal: AbortSignal; onRelease(release: () => void): void }): Promise<void>;
  /** Connection ids the simulators serve (the hub checks fault targets against them). */
  connections(): string[];
}

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  startedAt: number;
  until: number | null;
  state: 'active' | 'cleared' | 'failed';
  error?: string;
}

export interface ScenarioRun {
  id: string;
  scenario: string;
  tag?: string;
  startedAt: number;
  state: 'running' | 'finished' | 'stopped' | 'failed';
  endedAt?: number;
  error?: string;
}

interface Live {
  fault: ActiveFault;
  field?: FieldAccess;
  base?: Value;
  endpoint?: EndpointAccess;
  down?: boolean;
}

export class ControlEngine {
  private readonly faults = new Map<string, Live>();
  private readonly runs = new Map<string, { run: ScenarioRun; ctl: AbortController; releases: Array<() => void> }>();
  private seq = 0;
  private readonly timer: NodeJS.Timeout;
  private busy = Promise.resolve();

  constructor(
    private readonly sims: SimAdapters,
    private readonly opts: { now?: () => number; random?: () => number; tickMs?: number; history?: EndpointAccess } = {},
  ) {
    this.timer = setInterval(() => void this.tick(), opts.tickMs ?? 250);
    this.timer.unref();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async inject(spec: FaultSpec): Promise<ActiveFault> {
    const t = this.now();
    const fault: ActiveFault = { id: `f${++this.seq}`, spec, startedAt: t, until: spec.durationS ? t + spec.durationS * 1000 : null, state: 'active' };
    const live: Live = { fault };
    if (isValueFault(spec.kind)) {
      live.field = this.sims.field(spec.target);
      live.base = live.field.get();
      if (typeof live.base === 'boolean' && (spec.kind === 'ramp' || spec.kind === 'noise')) throw new Error(`${spec.kind} needs a numeric field; this one is binary`);
      if (typeof live.base === 'number' && (spec.kind === 'leak' || spec.kind === 'forced-door')) throw new Error(`${spec.kind} needs a binary field; this one is numeric`);
      live.field.set(faultValue(spec, live.base, 0, this.rand()));
    } else {
      live.endpoint = spec.kind === 'history-down' ? this.history() : this.sims.endpoint(spec.target);
      await live.endpoint.down();
      live.down = true;
    }
    this.faults.set(fault.id, live);
    return { ...fault };
  }

  private history(): EndpointAccess {
    if (!this.opts.history) throw new Error(NO_HISTORY_PROXY);
    return this.opts.history;
  }

  private rand(): number {
    return (this.opts.random ?? Math.random)();
  }

  async clear(id: string): Promise<ActiveFault> {
    const live = this.faults.get(id);
    if (!live) throw new Error(`no fault ${id}`);
    this.faults.delete(id);
    live.fault.state = 'cleared';
    // Back to the value it had, then to the device's own behaviour (a dry sensor stays dry).
    if (live.field) {
      live.field.set(live.base!);
      live.field.release();
    }
    if (live.endpoint && live.down) await live.endpoint.up();
    return { ...live.fault };
  }

  async clearAll(): Promise<number> {
    const ids = [...this.faults.keys()];
    for (const id of ids) await this.clear(id).catch(() => {});
    for (const r of this.runs.values()) if (r.run.state === 'running') this.stopScenario(r.run.id);
    return ids.length;
  }

  list(): { faults: ActiveFault[]; runs: ScenarioRun[] } {
    return { faults: [...this.faults.values()].map((l) => ({ ...l.fault })), runs: [...this.runs.values()].map((r) => ({ ...r.run })) };
  }

  startScenario(name: string, opts: { timeScale?: number; tag?: string } = {}): ScenarioRun {
    const known = this.sims.scenarios().find((s) => s.name === name);
    if (!known) throw new Error(`unknown scenario "${name}" (known: ${this.sims.scenarios().map((s) => s.name).join(', ')})`);
    const run: ScenarioRun = { id: `s${++this.seq}`, scenario: name, startedAt: this.now(), state: 'running', ...(opts.tag ? { tag: opts.tag } : {}) };
    const ctl = new AbortController();
    const releases: Array<() => void> = [];
    this.runs.set(run.id, { run, ctl, releases });
    this.sims
      .playScenario(name, { timeScale: opts.timeScale ?? 1, signal: ctl.signal, onRelease: (r) => releases.push(r) })
      .then(() => {
        if (run.state === 'running') run.state = 'finished';
      })
      .catch((err: Error) => {
        if (run.state === 'running') Object.assign(run, { state: 'failed', error: err.message });
      })
      .finally(() => {
        run.endedAt ??= this.now();
      });
    return { ...run };
  }

  /** Aborts a scenario and hands every field it set back to the devices' own behaviour. */
  stopScenario(id: string): ScenarioRun {
    const r = this.runs.get(id);
    if (!r) throw new Error(`no scenario run ${id}`);
    if (r.run.state === 'running') {
      r.run.state = 'stopped';
      r.run.endedAt = this.now();
      r.ctl.abort();
    }
    for (const release of r.releases.splice(0)) release();
    return { ...r.run };
  }

  private async tick(): Promise<void> {
    // One tick at a time: endpoint up/down are async and must not interleave.
    this.busy = this.busy.then(async () => {
      const t = this.now();
      for (const live of [...this.faults.values()]) {
        const f = live.fault;
        try {
          if (f.until !== null && t >= f.until) {
            await this.clear(f.id);
            continue;
          }
          const elapsedS = (t - f.startedAt) / 1000;
          // Every tick, not only for ramps: a plant model (OPC UA) recomputes its variables and
          // would otherwise win back a held value between two polls.
          if (live.field) live.field.set(faultValue(f.spec, live.base!, elapsedS, this.rand()));
          if (live.endpoint && f.spec.kind === 'comm-flap') {
            const down = flapDown(elapsedS, f.spec.periodS!);
            if (down !== live.down) {
              live.down = down;
              await (down ? live.endpoint.down() : live.endpoint.up());
            }
          }
        } catch (err) {
          f.state = 'failed';
          f.error = (err as Error).message;
        }
      }
    });
    await this.busy;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
    await this.clearAll();
  }
}
