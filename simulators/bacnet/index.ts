// Starts the simulated BACnet/IP DDC panel on loopback (demo port 47809, so a real BACnet stack
// on 47808 on the same machine is not disturbed; `port: 0` for tests) and runs its plant physics.
import { SimulatedDevice } from './device.js';
import { OT, type BacObject } from './objects.js';
import { siteObjects, stepBulk, stepPhysics } from './site.js';

export const BACNET_DEMO_PORT = 47809;
export const BACNET_DEMO_INSTANCE = 260001;

export interface BacnetSimOptions {
  host?: string;
  /** 0 = ephemeral; default 47809. */
  port?: number;
  instance?: number;
  /** Physics step; 0 = frozen (values change only when a test sets them). */
  tickMs?: number;
  /** Extra analog inputs (instances 10000…) for benchmarks. */
  bulk?: number;
  /** Step for the bulk sensors (default tickMs). */
  bulkTickMs?: number;
  /** Share of bulk sensors that change per step (default 0.1). */
  bulkChurn?: number;
}

export interface BacnetSimulator {
  readonly host: string;
  readonly port: number;
  readonly instance: number;
  readonly device: SimulatedDevice;
  /** An object by type name and instance, e.g. obj('analog-value', 103). */
  obj(type: keyof typeof TYPE_NAMES, instance: number): BacObject;
  /** Sets a process value (inputs, or a value object without a priority array) and sends COVs. */
  set(type: keyof typeof TYPE_NAMES, instance: number, value: number): void;
  /** Sends COV notifications for changes made directly on objects. */
  changed(): void;
  /**
   * Goes silent like a device that lost power. `forgetCommands`: it comes back with empty priority
   * arrays (many panels keep commands in RAM only), at each object's Relinquish_Default.
   */
  kill(o?: { forgetCommands?: boolean }): Promise<void>;
  revive(): Promise<void>;
  stop(): Promise<void>;
}

export const TYPE_NAMES = {
  'analog-input': OT.AI, 'analog-output': OT.AO, 'analog-value': OT.AV,
  'binary-input': OT.BI, 'binary-output': OT.BO, 'binary-value': OT.BV,
  'multi-state-input': OT.MSI, 'multi-state-output': OT.MSO, 'multi-state-value': OT.MSV,
} as const;

export async function startBacnetSimulator(o: BacnetSimOptions = {}): Promise<BacnetSimulator> {
  const host = o.host ?? '127.0.0.1';
  const device = new SimulatedDevice({
    instance: o.instance ?? BACNET_DEMO_INSTANCE,
    name: 'WF-DDC-B1',
    host,
    port: o.port ?? BACNET_DEMO_PORT,
    objects: siteObjects(o.bulk ?? 0),
  });
  await device.start();
  const timers: NodeJS.Timeout[] = [];
  const tickMs = o.tickMs ?? 1000;
  if (tickMs > 0) {
    timers.push(setInterval(() => {
      stepPhysics((t, i) => device.object(t, i), tickMs / 1000);
      device.notifyChanges();
    }, tickMs));
  }
  if ((o.bulk ?? 0) > 0 && (o.bulkTickMs ?? tickMs) > 0) {
    timers.push(setInterval(() => {
      stepBulk(device.objects, o.bulkChurn ?? 0.1);
      device.notifyChanges();
    }, o.bulkTickMs ?? tickMs));
  }
  for (const t of timers) t.unref();

  const obj = (type: keyof typeof TYPE_NAMES, instance: number): BacObject => {
    const found = device.object(TYPE_NAMES[type], instance);
    if (!found) throw new Error(`simulated BACnet device has no ${type} ${instance}`);
    return found;
  };
  return {
    host,
    get port() {
      return device.port;
    },
    instance: device.instance,
    device,
    obj,
    set(type, instance, value) {
      obj(type, instance).processValue = value;
      device.notifyChanges();
    },
    changed: () => device.notifyChanges(),
    kill: async (k = {}) => {
      if (k.forgetCommands) for (const ob of device.objects) ob.priority.fill(null);
      await device.stop();
    },
    revive: () => device.start(),
    async stop() {
      for (const t of timers) clearInterval(t);
      await device.stop();
    },
  };
}
