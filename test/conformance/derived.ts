// Conformance rig for the derived driver. Its "device" is the producing subsystem, so the
// simulator here is a small in-process producer of a probe signal that keeps one value per
// source point and accepts writes: killed = the producer unregisters (points comm_fail
// "producer gone"), revived = it registers again and republishes (points good). The probe
// signal is not in SIGNAL_CATALOGUE, so config can never name it; the rig binds points directly.
import type { BoundPoint } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import type { ConformanceFixture } from './run.js';
import type { DerivedSource } from '../../drivers/derived/schema.js';
import { DerivedSignalRegistry, type SignalProducer } from '../../drivers/derived/signals.js';

export const PROBE_SIGNAL = 'conformance-probe';

/** A stand-in subsystem: holds a value per `of` point, publishes on change, takes writes. */
export class ProbeProducer {
  private handle: SignalProducer | null = null;
  readonly values = new Map<string, PointValue>();
  constructor(private readonly registry: DerivedSignalRegistry, initial: Record<string, PointValue>) {
    for (const [of, v] of Object.entries(initial)) this.values.set(of, v);
  }
  up(): void {
    this.handle = this.registry.register(PROBE_SIGNAL, {
      name: 'conformance probe',
      write: (of, value) => {
        if (!this.values.has(of)) throw new Error(`the probe produces nothing for ${of}`);
        this.values.set(of, value);
        this.handle?.publish(of, value);
      },
    });
    for (const [of, v] of this.values) this.handle.publish(of, v);
  }
  down(): void {
    this.handle?.close();
    this.handle = null;
  }
}

const point = (name: string, of: string, writable: boolean): BoundPoint<DerivedSource> => ({
  info: {
    id: `hq/a/b1/pump-b101/probe/${name}`, name: { en: name, 'zh-CN': name }, kind: 'binary', writable,
    device: 'probe', protocol: 'derived', intervalMs: 500,
  },
  device: 'probe',
  connection: 'derived-probe',
  source: { signal: PROBE_SIGNAL, of },
});

export const derivedConformanceFixture: ConformanceFixture = {
  protocol: 'derived',
  patienceMs: 5_000,
  async start() {
    const points = [point('flag-a', 'hq/a/b1/pump-b101/water-main/flow', true), point('flag-b', 'hq/a/b1/pump-b101/leak-1/leak', false)];
    const registry = new DerivedSignalRegistry();
    const producer = new ProbeProducer(registry, { [points[0].source.of]: false, [points[1].source.of]: true });
    producer.up();
    return {
      // The driver reads the registry the hub hands over in its context, as in a running hub.
      services: { derivedSignals: registry },
      connections: [{ id: 'derived-probe', protocol: 'derived', options: { heartbeatMs: 500 } }],
      devices: [{ id: 'probe', connection: 'derived-probe', options: {}, location: { building: 'a', floor: 'b1', room: 'pump-b101' } }],
      points,
      write: { pointId: points[0].info.id, value: true },
      kill: async () => producer.down(),
      revive: async () => producer.up(),
      stop: async () => producer.down(),
    };
  },
};
