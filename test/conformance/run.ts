// Test support (not driver runtime: drivers never import simulators, so the rigs live in test/).
// The one conformance scenario every registered driver must pass against its simulator
// (DESIGN.md): start → samples → simulator killed → comm_fail → simulator back → recovery
// → write confirmed by read-back → stop, with nothing published after stop().
import { DriverWriteError, type BoundPoint, type ConnectionConfig, type ConnectionStatus, type DeviceConfig, type Driver, type DriverContext, type DriverFactory, type DriverServices } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';

export interface ConformanceRig {
  connections: ConnectionConfig[];
  devices: DeviceConfig[];
  points: BoundPoint[];
  /** Registries the driver gets in its context, as the hub would hand them over (e.g. derivedSignals). */
  services?: DriverServices;
  /** A writable point and a value it does not hold yet. */
  write?: { pointId: string; value: PointValue };
  /**
   * For a driver with nothing to write (an RTSP camera's status point): why. The scenario then
   * checks that a write is refused with DriverWriteError `not_writable` instead.
   */
  readOnly?: string;
  /**
   * How a point shows that its device is gone; default quality `comm_fail`. A camera status point
   * stays good and says `unreachable` (its value is the information, as for ONVIF cameras).
   */
  isDown?(sample: Sample): boolean;
  /** Make the simulated device vanish (process or listener gone, port refusing). */
  kill(): Promise<void>;
  /** Bring it back on the same address. */
  revive(): Promise<void>;
  stop(): Promise<void>;
}

export interface ConformanceFixture {
  protocol: string;
  /** Longest time the driver may take to notice a dead device or a recovery (for waits, not assertions of speed). */
  patienceMs: number;
  start(dataDir: string): Promise<ConformanceRig>;
}

/** A DriverContext that records everything, for tests. */
export class RecordingContext implements DriverContext {
  samples: Sample[] = [];
  statuses: ConnectionStatus[] = [];
  private waiters: Array<() => void> = [];
  constructor(
    public dataDir: string,
    public services?: DriverServices,
  ) {}
  log = { info() {}, warn() {}, error() {}, debug() {} };
  publish(batch: Sample[]): void {
    this.samples.push(...batch);
    for (const w of this.waiters.splice(0)) w();
  }
  status(s: ConnectionStatus): void {
    this.statuses.push(s);
    for (const w of this.waiters.splice(0)) w();
  }
  latest(pointId: string): Sample | undefined {
    for (let i = this.samples.length - 1; i >= 0; i--) if (this.samples[i].pointId === pointId) return this.samples[i];
    return undefined;
  }
  /** Resolves when `pred` holds, re-checked on every publish/status; rejects after `timeoutMs` naming `what`. */
  async until(what: string, pred: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

export interface ConformanceReport {
  samplesBeforeKill: number;
  commFailPoints: number;
  recoveredPoints: number;
  /** A confirmed write, or (read-only drivers) the refusal's code. */
  write: { confirmed: boolean; readBack: PointValue } | { refused: string };
  publishedAfterStop: number;
}

/** Runs the scenario; throws with a message naming the step that failed. */
export async function runConformance(factory: DriverFactory, fixture: ConformanceFixture, dataDir: string): Promise<ConformanceReport> {
  const rig = await fixture.start(dataDir);
  const ctx = new RecordingContext(dataDir, rig.services);
  let driver: Driver | undefined;
  try {
    driver = factory.create(rig.connections, rig.devices, rig.points);
    const ids = rig.points.map((p) => p.info.id);
    await driver.start(ctx);

    await ctx.until('a good sample of every point', () => ids.every((id) => ctx.latest(id)?.quality === 'good'), fixture.patienceMs);
    const samplesBeforeKill = ctx.samples.length;

    await rig.kill();
    const down = rig.isDown ?? ((s: Sample) => s.quality === 'comm_fail');
    await ctx.until('comm_fail (or the fixture\'s "down" value) on every point after the simulator was killed', () => ids.every((id) => { const s = ctx.latest(id); return s !== undefined && down(s); }), fixture.patienceMs);
    const commFailPoints = ids.length;

    await rig.revive();
    await ctx.until('good samples again after the simulator came back', () => ids.every((id) => { const s = ctx.latest(id); return s?.quality === 'good' && !down(s); }), fixture.patienceMs * 3);
    const recoveredPoints = ids.length;

    let write: ConformanceReport['write'];
    if (rig.write) {
      const w = rig.write;
      const result = await driver.write(w.pointId, w.value);
      if (!result.confirmed) throw new Error(`write of ${JSON.stringify(w.value)} to ${w.pointId} was not confirmed: read back ${JSON.stringify(result.readBack)}`);
      await ctx.until(`a sample of ${w.pointId} showing the written value`, () => ctx.latest(w.pointId)?.value === w.value, fixture.patienceMs);
      write = { confirmed: result.confirmed, readBack: result.readBack };
    } else {
      if (!rig.readOnly) throw new Error('the rig names neither a write nor why the driver is read-only');
      const refusal = await driver.write(ids[0], 1).then(() => null, (err: unknown) => err);
      if (!(refusal instanceof DriverWriteError) || refusal.code !== 'not_writable') throw new Error(`a read-only driver must refuse writes with not_writable, got ${String(refusal)}`);
      write = { refused: refusal.code };
    }

    await driver.stop();
    const countAtStop = ctx.samples.length;
    const statusesAtStop = ctx.statuses.length;
    // Give any stray timer or in-flight response a chance to (wrongly) publish.
    await new Promise((r) => setTimeout(r, 1500));
    const publishedAfterStop = ctx.samples.length - countAtStop + Math.max(0, ctx.statuses.filter((s, i) => i >= statusesAtStop && s.state !== 'stopped').length);
    driver = undefined;
    return { samplesBeforeKill, commFailPoints, recoveredPoints, write, publishedAfterStop };
  } finally {
    await driver?.stop().catch(() => {});
    await rig.stop();
  }
}
