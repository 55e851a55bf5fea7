// Test runs and commissioning: REST payloads shared by the hub (hub/testruns), the runner
// (scripts/testrun.ts) and the console page (#/testruns).
import type { AlarmPriority } from './alarms.js';
import type { PointValue } from './point.js';

export const FAULT_KINDS = ['offline', 'step', 'ramp', 'stuck', 'noise', 'leak', 'forced-door', 'comm-flap', 'dead-camera', 'history-down'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** POST /api/testruns/faults: a fault on a point (value faults), a connection (offline, flap) or a camera. */
export interface FaultRequest {
  kind: FaultKind;
  point?: string;
  connection?: string;
  camera?: string;
  value?: number | boolean;
  to?: number;
  rampS?: number;
  amplitude?: number;
  periodS?: number;
  durationS?: number;
  /** Free text shown in the audit and on the alarm (`test: <tag>`); default `manual`. */
  tag?: string;
}

export interface FaultView {
  id: string;
  kind: FaultKind;
  target: string;
  tag: string;
  by: string;
  startedAt: number;
  until: number | null;
  state: string;
  error?: string;
}

export interface ScenarioView {
  name: string;
  simulator: string;
  description: string;
}

export interface ScenarioRunView {
  id: string;
  scenario: string;
  tag?: string;
  startedAt: number;
  state: 'running' | 'finished' | 'stopped' | 'failed';
  endedAt?: number;
  error?: string;
}

export interface TestrunsStatus {
  enabled: boolean;
  /** Why not, when disabled or when the simulators' control channel cannot be reached. */
  reason?: string;
  /** Connections the simulators serve and the hub points at on loopback. */
  simulated: string[];
  /** Not simulated but explicitly allowed in testruns.yaml. */
  allowed: string[];
  scenarios: ScenarioView[];
  runs: ScenarioRunView[];
  faults: FaultView[];
}

export type CheckoutResult = 'pending' | 'pass' | 'fail' | 'skipped' | 'needs_confirmation';

export interface CheckoutItem {
  pointId: string;
  floor: string;
  device: string;
  kind: 'write' | 'input';
  result: CheckoutResult;
  /** One line: what was checked and what was seen. */
  detail: string;
  safety: boolean;
  value?: PointValue;
  testValue?: PointValue;
  readBack?: PointValue;
  by?: string;
  at?: number;
}

/** One alarm of the checkout scope: tripped by a value fault on a simulated point, then cleared. */
export interface CheckoutAlarmCheck {
  alarmId: string;
  ruleId: string;
  pointId: string;
  priority: AlarmPriority;
  /** pass: raised and back to normal; skipped: no safe or simple way to trip it (detail says why). */
  result: CheckoutResult;
  detail: string;
  /** The value the fault held the point at. */
  tripValue?: PointValue;
  raisedAt?: number;
  clearedAt?: number;
  /** The test tag the raised alarm carried (never a real event). */
  testTag?: string;
  by?: string;
  at?: number;
}

export interface CheckoutGroup { key: string; total: number; done: number; pass: number; fail: number; skipped: number }

export interface CheckoutView {
  id: string | null;
  state: 'idle' | 'running' | 'done' | 'stopped';
  startedAt?: number;
  endedAt?: number;
  by?: string;
  total: number;
  done: number;
  pass: number;
  fail: number;
  skipped: number;
  floors: CheckoutGroup[];
  devices: CheckoutGroup[];
  /** Only with ?items=1 (the report). */
  items?: CheckoutItem[];
  /** Alarm checks (runs started with `alarms: true`): counts always, the checks with ?items=1. */
  alarms?: { total: number; done: number; pass: number; fail: number; skipped: number; checks?: CheckoutAlarmCheck[] };
  signedOff?: { by: string; at: number; note?: string };
}
