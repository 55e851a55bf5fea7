// Config schemas of the BACnet/IP driver: connection (one B/IP endpoint), device (its instance),
// point source (an object's present value). Validation only, no I/O; unknown keys are refused.
import { z } from 'zod';
import { MAX_INSTANCE, parseObjectRef } from './objects.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const covSchema = z.strictObject({
  /** Subscribe (SubscribeCOV) instead of polling. Objects that refuse fall back to polling. */
  enabled: z.boolean().default(true),
  /** Subscription lifetime; renewed at half of it, so a device that rebooted is re-subscribed in time. */
  lifetimeS: int(30, 86_400).default(300),
  /** Ask for confirmed notifications (costs an ack per change). */
  confirmed: z.boolean().default(false),
});

export const connectionSchema = z.strictObject({
  /** The device's (or BACnet router's) B/IP address. */
  host: z.string().min(1).default('127.0.0.1'),
  port: int(1, 65535).default(47808),
  /** Local UDP address/port the driver binds. Port 0 = any free port (devices answer to the sender). */
  localAddress: z.string().min(1).default('0.0.0.0'),
  localPort: int(0, 65535).default(0),
  /** Poll interval for points not on COV, and the liveness check of every device. */
  pollMs: int(100, 86_400_000).default(5000),
  /** APDU timeout per request. */
  timeoutMs: int(50, 60_000).default(3000),
  /** Objects per ReadPropertyMultiple (4 properties each); keep the answer under the device's max APDU. */
  maxObjectsPerRequest: int(1, 100).default(16),
  /** Confirmed requests in flight at once per connection (BACnet invoke ids are 8 bits). */
  maxInFlight: int(1, 64).default(8),
  cov: covSchema.default({ enabled: true, lifetimeS: 300, confirmed: false }),
});
export type BacnetConnectionOptions = z.output<typeof connectionSchema>;

export const deviceSchema = z.strictObject({
  /** The device object's instance number (its BACnet device id). */
  instance: int(0, MAX_INSTANCE),
});
export type BacnetDeviceOptions = z.output<typeof deviceSchema>;

export const sourceSchema = z.strictObject({
  /** `type:instance`, e.g. `analog-value:103`. */
  object: z.string().superRefine((s, ctx) => {
    const r = parseObjectRef(s);
    if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
  }),
  /** Subscribe to this object's COV (default: the connection's `cov.enabled`). */
  cov: z.boolean().optional(),
  /** BACnet priority (1..16) of writes when the hub gives none. 6 is reserved by the standard. */
  priority: int(1, 16).refine((p) => p !== 6, { message: 'priority 6 is reserved for minimum on/off (ASHRAE 135 19.2.1.1)' }).default(8),
});
export type BacnetSource = z.output<typeof sourceSchema>;
