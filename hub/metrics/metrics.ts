// Prometheus metrics of one hub (prom-client), in a registry of its own (never prom-client's
// global default: two hubs in one process must not share counters). Counters and histograms are
// fed as things happen (samples ingested, driver status reports); gauges are read when scraped
// (socket clients, history spool, alarm counts), so scraping costs nothing between scrapes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { IngestEvent } from '../ports.js';

export interface MetricsSources {
  /** Current driver connection statuses. */
  statuses(): ConnectionStatus[];
  /** Health components (history: spooledBytes, written, lastWriteMs…; alarms: unacked, active…). */
  components(): Record<string, { ok: boolean; [k: string]: unknown }>;
  /** Connected Socket.IO clients. */
  socketClients(): number;
  /** Points in the live state. */
  points(): number;
}

export interface HubMetrics {
  readonly registry: Registry;
  /** Bus listener: counts samples and changed points. */
  onIngest(e: IngestEvent): void;
  /** Wraps a driver's status reports: cycle times and failures per connection. */
  observeStatus(s: ConnectionStatus): void;
  /** Text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}

const CYCLE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CONNECTION_STATES = ['connecting', 'online', 'offline', 'auth_failed', 'stopped'] as const;
const FAILED = new Set(['offline', 'auth_failed']);

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function createHubMetrics(src: MetricsSources, opts: { processMetrics?: boolean } = {}): HubMetrics {
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'watchfloor_' });

  const samples = new Counter({ name: 'watchfloor_samples_ingested_total', help: 'Samples ingested from drivers (rate() gives the ingest rate).', registers: [registry] });
  const changes = new Counter({ name: 'watchfloor_point_changes_total', help: 'Point state changes (value or quality) applied to the live state.', registers: [registry] });
  const cycle = new Histogram({
    name: 'watchfloor_poll_cycle_seconds', help: 'Duration of a driver poll cycle, per connection.',
    labelNames: ['connection', 'protocol'], buckets: CYCLE_BUCKETS, registers: [registry],
  });
  const failures = new Counter({
    name: 'watchfloor_connection_failures_total', help: 'Times a connection went offline or was refused (auth).',
    labelNames: ['connection', 'protocol', 'state'], registers: [registry],
  });
  const lastState = new Map<string, string>();

  new Gauge({
    name: 'watchfloor_connection_state', help: '1 for the state each connection is in now.',
    labelNames: ['connection', 'protocol', 'state'], registers: [registry],
    collect() {
      this.reset();
      for (const s of src.statuses()) for (const st of CONNECTION_STATES) this.set({ connection: s.connection, protocol: s.protocol, state: st }, s.state === st ? 1 : 0);
    },
  });
  new Gauge({
    name: 'watchfloor_socket_clients', help: 'Connected Socket.IO clients (consoles, walls, phones).', registers: [registry],
    collect() {
      this.set(src.socketClients());
    },
  });
  new Gauge({
    name: 'watchfloor_points', help: 'Points in the live state.', registers: [registry],
    collect() {
      this.set(src.points());
    },
  });
  // History: what the writer reports in its health probe.
  const history = () => src.components().history as Record<string, unknown> | undefined;
  new Gauge({
    name: 'watchfloor_history_spool_bytes', help: 'Bytes of history waiting in the disk spool (InfluxDB away or behind).', registers: [registry],
    collect() {
      const v = num(history()?.spooledBytes);
      if (v !== undefined) this.set(v);
    },
  });
  new Gauge({
    name: 'watchfloor_history_queue_lines', help: 'Lines buffered in memory for the next history write.', registers: [registry],
    collect() {
      const h = history();
      const v = num(h?.queuedLines) ?? num(h?.bufferedLines) ?? num(h?.pending);
      if (v !== undefined) this.set(v);
    },
  });
  new Gauge({
    name: 'watchfloor_history_written_total', help: 'Samples the history store confirmed written.', registers: [registry],
    collect() {
      const v = num(history()?.written);
      if (v !== undefined) this.set(v);
    },
  });
  new Gauge({
    name: 'watchfloor_history_dead_letters', help: 'Lines InfluxDB refused for good (dead-letter file).', registers: [registry],
    collect() {
      const v = num(history()?.deadLetters);
      if (v !== undefined) this.set(v);
    },
  });
  new Gauge({
    name: 'watchfloor_history_write_latency_seconds', help: 'Duration of the last successful history write (request to InfluxDB or the embedded store).', registers: [registry],
    collect() {
      const v = num(history()?.lastWriteMs);
      if (v !== undefined) this.set(v / 1000);
    },
  });
  new Gauge({
    name: 'watchfloor_history_connected', help: '1 while the history store accepts writes.', registers: [registry],
    collect() {
      const h = history();
      if (h && typeof h.connected === 'boolean') this.set(h.connected ? 1 : 0);
    },
  });
  // Alarms: the engine's summary, published by the alarms module's health probe.
  new Gauge({
    name: 'watchfloor_alarms_unacknowledged', help: 'Alarms waiting for acknowledgement, by priority.', labelNames: ['priority'], registers: [registry],
    collect() {
      this.reset();
      const u = (src.components().alarms as { unacked?: Record<string, unknown> } | undefined)?.unacked;
      for (const [priority, n] of Object.entries(u ?? {})) if (num(n) !== undefined) this.set({ priority }, n as number);
    },
  });
  new Gauge({
    name: 'watchfloor_alarms', help: 'Alarms by condition: active, shelved, suppressed, out of service.', labelNames: ['condition'], registers: [registry],
    collect() {
      this.reset();
      const a = src.components().alarms as Record<string, unknown> | undefined;
      for (const c of ['active', 'shelved', 'suppressed', 'outOfService'] as const) {
        const v = num(a?.[c]);
        if (v !== undefined) this.set({ condition: c }, v);
      }
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    onIngest(e) {
      if (e.samples.length) samples.inc(e.samples.length);
      if (e.changed.length) changes.inc(e.changed.length);
    },
    observeStatus(s) {
      if (s.lastCycleMs !== undefined && Number.isFinite(s.lastCycleMs)) cycle.observe({ connection: s.connection, protocol: s.protocol }, s.lastCycleMs / 1000);
      const prev = lastState.get(s.connection);
      if (prev !== s.state && FAILED.has(s.state)) failures.inc({ connection: s.connection, protocol: s.protocol, state: s.state });
      lastState.set(s.connection, s.state);
    },
    render: () => registry.metrics(),
  };
}
