// The in-process registry through which hub subsystems publish derived signals (a lamp fault
// of a lighting circuit, a suspected leak behind a water meter) and the `derived` driver turns
// them into samples. It lives here, beside the driver, and imports only the contracts: the
// driver may not import hub code, and hub/control imports this file to publish. There is no
// process-wide instance: the hub's composition root creates one (hub/registries.ts) and hands it
// to the driver (DriverContext.services.derivedSignals) and to the control module.
import type { PointKind, PointValue } from '../../contracts/point.js';

/** What a known signal is: the kind of its derived point and of the point it is derived from. */
export interface SignalSpec {
  kind: PointKind;
  of: { kind: PointKind; what: string };
  producer: string;
  description: string;
}

/**
 * Every signal a subsystem publishes. The config loader refuses a derived point naming a signal
 * not listed here, or whose kinds do not match, so a typo fails at load instead of showing a
 * point that never gets a value. Add a line here when a subsystem starts publishing a new signal.
 */
export const SIGNAL_CATALOGUE = {
  'lamp-fault': {
    kind: 'binary',
    of: { kind: 'binary', what: 'a lighting circuit of config/lighting.yaml' },
    producer: 'control/lighting',
    description: 'true while the circuit is switched on but draws no current (dead lamp, driver or breaker)',
  },
  'night-flow-leak': {
    kind: 'binary',
    of: { kind: 'analog', what: 'a water flow meter (unit m³/h)' },
    producer: 'control/water',
    description: "true when last night's flow never dropped to zero (suspected leak); evaluated once a day after the night window",
  },
} as const satisfies Record<string, SignalSpec>;
export type SignalName = keyof typeof SIGNAL_CATALOGUE;

export type ReadingQuality = 'good' | 'uncertain' | 'bad';

/** The latest value a producer gave for one `of` point. */
export interface SignalReading {
  value: PointValue;
  quality: ReadingQuality;
  detail?: string;
  /** When the producer determined it (ms). */
  ts: number;
}

export type SignalEvent =
  | { type: 'value'; signal: string; of: string; reading: SignalReading }
  | { type: 'producer'; signal: string; up: boolean; producer: string };

export interface ProducerOptions {
  /** Who produces the signal, for status details (e.g. "control/lighting"). */
  name: string;
  /**
   * Accepts a write to a derived point (optional: most signals are read-only). Resolves once the
   * producer applied it; the driver then reads the producer's value back to confirm.
   */
  write?(of: string, value: PointValue): Promise<void> | void;
}

export interface PublishOptions {
  quality?: ReadingQuality;
  detail?: string;
  ts?: number;
}

export interface SignalProducer {
  readonly signal: string;
  /** Still the registered producer (not closed, not replaced). */
  readonly active: boolean;
  publish(of: string, value: PointValue, opts?: PublishOptions): void;
  /** Withdraws the producer: every point of the signal turns comm_fail. Idempotent. */
  close(): void;
}

interface Entry {
  handle: object;
  opts: ProducerOptions;
  values: Map<string, SignalReading>;
}

export class DerivedSignalRegistry {
  private readonly producers = new Map<string, Entry>();
  private listeners: Array<(e: SignalEvent) => void> = [];

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Registers the producer of `signal`. A second registration replaces the first (a module
   * restarted in the same process): the old handle goes inert and the new one starts empty.
   */
  register(signal: string, opts: ProducerOptions): SignalProducer {
    if (!signal) throw new Error('derived signal: a signal name is required');
    const handle = {};
    const entry: Entry = { handle, opts, values: new Map() };
    this.producers.set(signal, entry);
    this.emit({ type: 'producer', signal, up: true, producer: opts.name });
    const isCurrent = () => this.producers.get(signal)?.handle === handle;
    return {
      signal,
      get active() {
        return isCurrent();
      },
      publish: (of, value, p = {}) => {
        if (!isCurrent()) return;
        const reading: SignalReading = { value, quality: p.quality ?? 'good', ts: p.ts ?? this.now() };
        if (p.detail !== undefined) reading.detail = p.detail;
        entry.values.set(of, reading);
        this.emit({ type: 'value', signal, of, reading });
      },
      close: () => {
        if (!isCurrent()) return;
        this.producers.delete(signal);
        this.emit({ type: 'producer', signal, up: false, producer: opts.name });
      },
    };
  }

  /** Shorthand for the registered producer's publish; throws when nobody produces `signal`. */
  publish(signal: string, of: string, value: PointValue, opts?: PublishOptions): void {
    const entry = this.producers.get(signal);
    if (!entry) throw new Error(`derived signal "${signal}" has no registered producer`);
    const reading: SignalReading = { value, quality: opts?.quality ?? 'good', ts: opts?.ts ?? this.now() };
    if (opts?.detail !== undefined) reading.detail = opts.detail;
    entry.values.set(of, reading);
    this.emit({ type: 'value', signal, of, reading });
  }

  /** The producer of `signal`, if one is registered. */
  producer(signal: string): { name: string; writable: boolean } | undefined {
    const e = this.producers.get(signal);
    return e ? { name: e.opts.name, writable: e.opts.write !== undefined } : undefined;
  }

  reading(signal: string, of: string): SignalReading | undefined {
    return this.producers.get(signal)?.values.get(of);
  }

  /** Hands a write to the producer. Throws when there is none or it takes no writes. */
  async write(signal: string, of: string, value: PointValue): Promise<SignalReading | undefined> {
    const e = this.producers.get(signal);
    if (!e) throw new Error(`derived signal "${signal}" has no registered producer`);
    if (!e.opts.write) throw new Error(`the producer of "${signal}" (${e.opts.name}) takes no writes`);
    await e.opts.write(of, value);
    return this.reading(signal, of);
  }

  /** Listeners run synchronously; a throwing listener never breaks a producer. */
  subscribe(listener: (e: SignalEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private emit(e: SignalEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // The driver logs its own failures; a producer must not fail because a consumer did.
      }
    }
  }
}
