// The DriverContext factory: what drivers publish goes store → bus; connection statuses are
// kept per connection, transitions logged once, and changes pushed to listeners (live sockets).
import type { ConnectionStatus, DriverContext } from '../contracts/driver.js';
import type { Sample } from '../contracts/point.js';
import type { SampleBus } from './bus.js';
import type { HubLogger } from './module.js';
import type { PointStore } from './state.js';

type StatusListener = (statuses: ConnectionStatus[]) => void;

export class Ingest {
  private readonly statusByConnection = new Map<string, ConnectionStatus>();
  private statusListeners: StatusListener[] = [];
  private closed = false;
  private samplesIn = 0;

  constructor(
    private readonly store: PointStore,
    private readonly bus: SampleBus,
    private readonly log: HubLogger,
    private readonly dataDir: string,
  ) {}

  /** The context handed to one driver's start(). */
  contextFor(protocol: string): DriverContext {
    return {
      publish: (batch) => this.publish(batch),
      status: (s) => this.status(s),
      log: this.log.child({ driver: protocol }),
      dataDir: this.dataDir,
    };
  }

  publish(batch: Sample[]): void {
    // Drivers must not publish after stop(); if one does anyway, the stopped hub ignores it.
    if (this.closed || batch.length === 0) return;
    this.samplesIn += batch.length;
    const changed = this.store.apply(batch);
    this.bus.emit({ samples: batch, changed });
  }

  /** Runs the stale check and pushes what it changed through the bus like any other change. */
  sweepStale(now = Date.now()): void {
    if (this.closed) return;
    const changed = this.store.markStale(now);
    if (changed.length > 0) this.bus.emit({ samples: [], changed });
  }

  status(s: ConnectionStatus): void {
    if (this.closed) return;
    const prev = this.statusByConnection.get(s.connection);
    this.statusByConnection.set(s.connection, s);
    if (prev && prev.state === s.state && prev.detail === s.detail) return; // a cycle-time update only
    this.logTransition(prev, s);
    const all = this.statuses();
    for (const l of this.statusListeners) {
      try {
        l(all);
      } catch (err) {
        this.log.error({ err }, 'driver status listener failed');
      }
    }
  }

  /** Connections removed by a live reload: their status leaves the list (and the consoles). */
  forgetConnections(ids: readonly string[]): void {
    let changed = false;
    for (const id of ids) changed = this.statusByConnection.delete(id) || changed;
    if (!changed || this.closed) return;
    const all = this.statuses();
    for (const l of this.statusListeners) {
      try {
        l(all);
      } catch (err) {
        this.log.error({ err }, 'driver status listener failed');
      }
    }
  }

  statuses(): ConnectionStatus[] {
    return [...this.statusByConnection.values()];
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners = [...this.statusListeners, listener];
    return () => {
      this.statusListeners = this.statusListeners.filter((l) => l !== listener);
    };
  }

  get totalSamples(): number {
    return this.samplesIn;
  }

  close(): void {
    this.closed = true;
    this.statusListeners = [];
  }

  private logTransition(prev: ConnectionStatus | undefined, s: ConnectionStatus): void {
    const fields = { connection: s.connection, protocol: s.protocol, state: s.state, detail: s.detail };
    const wasFailing = prev !== undefined && isFailure(prev.state);
    if (isFailure(s.state)) {
      // Failure once: a change of reason while still failing is debug, not another warning.
      if (wasFailing) this.log.debug(fields, 'connection still failing');
      else this.log.warn(fields, `connection ${s.connection} ${s.state}`);
    } else if (s.state === 'online' && wasFailing) {
      this.log.info({ ...fields, previous: prev!.state }, `connection ${s.connection} recovered`);
    } else {
      this.log.debug(fields, `connection ${s.connection} ${s.state}`);
    }
  }
}

function isFailure(state: ConnectionStatus['state']): boolean {
  return state === 'offline' || state === 'auth_failed';
}
