// Control and broadcast REST payloads shared by the hub (hub/control, hub/broadcast) and the console.
import type { LocalizedText, PointValue } from './point.js';

/** One filled level of a point's priority array. */
export interface Slot {
  level: number;
  value: PointValue;
  user: string;
  setAt: number;
  /** ms since epoch; null = until released. */
  expiresAt: number | null;
  note?: string;
}

/** What a command or a release did. */
export interface CommandOutcome {
  pointId: string;
  level: number;
  effective: { value: PointValue; level: number | null };
  /** True when the device was written by this call. */
  written: boolean;
  confirmed: boolean | null;
  readBack: PointValue;
  detail?: string;
}

/** A lamp or circuit that should draw current and does not (or no longer). */
export interface LampFaultEvent {
  zone: string;
  circuit: string;
  /** `<circuit>-lamp-fault`, a name for the fault in events and the faults API. The point alarm rules name is declared in config/devices/derived.yaml (source `{ signal: lamp-fault, of: <circuit> }`). */
  pointId: string;
  fault: boolean;
  since: number;
  ts: number;
  message: LocalizedText;
}

export type JobStatus = 'scheduled' | 'queued' | 'playing' | 'done' | 'preempted' | 'cancelled' | 'failed';

export interface BroadcastJob {
  id: string;
  user: string;
  zones: string[];
  emergency: boolean;
  description: string;
  status: JobStatus;
  createdAt: number;
  scheduledFor: number | null;
  startedAt: number | null;
  endedAt: number | null;
  detail?: string;
}
