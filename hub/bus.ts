// Fan-out of ingested batches to in-process listeners (live push, alarms, history).
import type { HubLogger, IngestEvent, SampleBusLike } from './module.js';

type Listener = (event: IngestEvent) => void;

export class SampleBus implements SampleBusLike {
  private listeners: Listener[] = [];
  /** Per listener, the error messages already logged: a listener failing on every batch logs once. */
  private readonly logged = new WeakMap<Listener, Set<string>>();

  constructor(private readonly log: HubLogger) {}

  subscribe(listener: Listener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: IngestEvent): void {
    // The array is replaced on (un)subscribe, so a listener unsubscribing mid-emit is safe.
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logOnce(listener, err);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  private logOnce(listener: Listener, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    let seen = this.logged.get(listener);
    if (!seen) this.logged.set(listener, (seen = new Set()));
    if (seen.has(message)) return;
    seen.add(message);
    this.log.error({ err, listener: listener.name || 'anonymous' }, 'sample bus listener failed (logged once per message)');
  }
}
