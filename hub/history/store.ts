// One interface for both history backends: InfluxDB (configured or local influxd) and embedded SQLite.
import type { Sample } from '../../contracts/point.js';
import type { CounterDelta } from './energy.js';
import type { TrendRequest } from './query.js';

export type HistoryBackendKind = 'influxdb' | 'embedded';

export interface TrendSeries {
  pointId: string;
  /** [bucket start ms, aggregated value]; empty buckets are left out. */
  points: Array<[number, number]>;
}

export interface HistoryStatus {
  ok: boolean;
  backend: HistoryBackendKind;
  connected: boolean;
  spooledBytes: number;
  deadLetters: number;
  lastWriteTs: number | null;
  written: number;
  lastError: string | null;
  [k: string]: unknown;
}

export interface HistoryStore {
  readonly backend: HistoryBackendKind;
  /** For the start-up log line: where history goes. */
  readonly description: string;
  start(): Promise<void>;
  /** Takes every sample; never throws for InfluxDB being away (it spools). */
  write(samples: Sample[]): void;
  trend(req: TrendRequest): Promise<TrendSeries[]>;
  /** Sums of non-negative differences of good readings per `bucketMs` UTC bucket, for readings in [from, to). */
  counterDeltas(pointId: string, from: number, to: number, bucketMs: number): Promise<CounterDelta[]>;
  status(): HistoryStatus;
  /** Resolves when everything written so far is stored (or safely spooled). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Only these qualities count for energy: a `bad`/`comm_fail` reading is not a meter reading. */
export const COUNTER_QUALITIES = ['good', 'uncertain'] as const;
