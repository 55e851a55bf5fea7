// Config schemas of the `derived` driver: points computed by hub subsystems, declared like any
// other point so the console, history and alarm rules see them.
import { z } from 'zod';
import { ID_SEGMENT, POINT_ID } from '../../contracts/point.js';

export const DEFAULT_HEARTBEAT_MS = 10_000;

export const connectionSchema = z.strictObject({
  /**
   * Signals change rarely: the driver re-publishes every point's current value this often, so
   * the hub's staleness check (3 × this) still tells a live derived point from a dead one.
   */
  heartbeatMs: z.number().int().min(200, 'must be ≥ 200 ms').max(600_000, 'must be ≤ 600000 ms').default(DEFAULT_HEARTBEAT_MS),
});
export type DerivedConnectionOptions = z.infer<typeof connectionSchema>;

export const deviceSchema = z.strictObject({});
export type DerivedDeviceOptions = z.infer<typeof deviceSchema>;

export const sourceSchema = z.strictObject({
  /** The signal's name, one of drivers/derived/signals.ts SIGNAL_CATALOGUE. */
  signal: z.string().regex(ID_SEGMENT, 'must be a signal name such as lamp-fault'),
  /** The configured point the signal is derived from (a lighting circuit, a flow meter). */
  of: z.string().regex(POINT_ID, 'must be a point id site/building/floor/room/equipment/point'),
});
export type DerivedSource = z.infer<typeof sourceSchema>;
