// The narrow interfaces hub parts depend on (logger, audit, point lookup, bus, health). They live
// in this leaf file, which imports only contracts, so that hub/module.ts, hub/commands.ts and the
// stores can all use them without import circles. hub/module.ts re-exports them.
import type { ChildLogger } from '../contracts/log.js';
import type { PointInfo, PointState, Sample } from '../contracts/point.js';

/** The hub's logger: the project's one Logger interface, with child loggers. */
export type HubLogger = ChildLogger;

/** One ingested batch: every raw sample, and the point states it changed. */
export interface IngestEvent {
  samples: Sample[];
  changed: PointState[];
}

export interface SampleBusLike {
  /** Listeners run synchronously after state is updated; a throwing listener is logged, never breaks ingest. */
  subscribe(listener: (event: IngestEvent) => void): () => void;
}

export interface HealthRegistryLike {
  register(name: string, probe: () => { ok: boolean; [k: string]: unknown }): void;
}

export interface AuditEntry {
  ts: number;
  user: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

export interface AuditLogLike {
  record(entry: Omit<AuditEntry, 'ts'> & { ts?: number }): void;
}

export interface PointStoreLike {
  get(id: string): PointState | undefined;
  all(): PointState[];
}

/** What the command path needs of the point store: the configured point and its live state. */
export interface PointLookup {
  info(id: string): PointInfo | undefined;
  get(id: string): PointState | undefined;
}
