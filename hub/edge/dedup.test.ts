// Each (point, readTs) reaches the hub once from an edge: a real Mosquitto restarted twice (the edge
// births again and replays its spool; the host asks for a rebirth on its own reconnect), the real edge
// agent and the hub's Sparkplug host; every sample the driver produced arrives, none twice. Plus the
// rules of SampleDedup, table-tested.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoundPoint, Driver, DriverContext } from '../../contracts/driver.js';
import type { Sample } from '../../contracts/point.js';
import { EdgeAgent } from '../../edge/agent.js';
import { startMosquitto, type Mosquitto } from '../../test/support/mosquitto.js';
import { silentLogger } from '../log.js';
import { SampleDedup, type SampleKind } from './dedup.js';
import { EdgeHost } from './host.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const until = async (what: string, pred: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const point = (id: string): BoundPoint => ({
  info: { id: `hq/b/l01/r101/dev/${id}`, name: { en: id, 'zh-CN': id }, kind: 'analog', unit: 'kW', writable: false, device: 'dev', protocol: 'synthetic', intervalMs: 50 },
  device: 'dev', connection: 'conn-1', source: {},
});

/** Every point every 50 ms, readTs = base + n: each (point, readTs) is produced once. */
class CountingDriver implements Driver {
  readonly protocol = 'synthetic';
  produced = 0;
  private timer: NodeJS.Timeout | null = null;
  private n = 0;
  constructor(private readonly points: BoundPoint[], private readonly base = Date.now()) {}
  async start(ctx: DriverContext): Promise<void> {
    ctx.status({ connection: 'conn-1', protocol: 'synthetic', state: 'online', since: Date.now() });
    this.timer = setInterval(() => {
      const n = this.n++;
      this.produced += this.points.length;
      ctx.publish(this.points.map((p) => ({ pointId: p.info.id, value: n, quality: 'good' as const, readTs: this.base + n })));
    }, 50);
  }
  async write() {
    return { confirmed: true, readBack: 0 };
  }
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

describe('edge → hub: each (point, readTs) once', () => {
  let dir: string | undefined;
  let broker: Mosquitto | undefined;
  let agent: EdgeAgent | undefined;
  let host: EdgeHost | undefined;
  afterEach(async () => {
    await agent?.stop();
    await host?.detach('synthetic');
    await broker?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('across births, rebirths and two broker outages with replay', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-dedup-'));
    broker = await startMosquitto();
    const points = Array.from({ length: 20 }, (_, i) => point(`p${i}`));
    host = new EdgeHost({
      group: 'hq', broker: { url: broker.url, keepaliveS: 2 }, points: points.map((p) => ({ point: p, building: 'b' })),
      commandTimeoutMs: 5000, hostId: 'dedup-host', log: silentLogger(),
    });
    const seen = new Map<string, number>();
    host.attach('synthetic', {
      samples: (batch: Sample[]) => {
        for (const s of batch) if (s.quality === 'good') seen.set(`${s.pointId}|${s.readTs}`, (seen.get(`${s.pointId}|${s.readTs}`) ?? 0) + 1);
      },
      status: () => {},
    });
    const driver = new CountingDriver(points);
    agent = new EdgeAgent({ group: 'hq', building: 'b', broker: { url: broker.url, keepaliveS: 2 }, points, drivers: [driver], dataDir: join(dir, 'edge'), log: silent, primaryHostId: 'dedup-host', reconnectMs: 200 });
    await agent.start();
    await until('live', () => agent!.isLive && seen.size > 100);
    for (let k = 0; k < 2; k++) {
      await broker.kill();
      await until('spooling', () => agent!.counters.spooled > k * 200 + 100);
      await broker.revive();
      await until('replayed and live again', () => agent!.isLive && agent!.spooledBytes === 0 && agent!.counters.replayed === agent!.counters.spooled);
    }
    await driver.stop();
    const produced = driver.produced;
    await until('every produced sample received', () => seen.size === produced);
    const twice = [...seen.values()].filter((n) => n > 1).length;
    expect({ produced, received: seen.size, twice }).toEqual({ produced, received: produced, twice: 0 });
    // The path did restate samples (births after each reconnect): they were refused as repeats.
    expect(agent.counters.births).toBeGreaterThanOrEqual(3);
    expect(host.dedup.dropped.birth).toBeGreaterThan(0);
  }, 90_000);
});

describe('SampleDedup', () => {
  type Step = [string, number, SampleKind] | ['forget', string];
  const run = (steps: Step[]) => {
    const d = new SampleDedup();
    return steps.map((s) => (s.length === 2 ? (d.forget(s[1]), '-') : d.accept(s[0], s[1], s[2]) ? 'y' : 'n')).join('');
  };
  it.each([
    { name: 'live data moves on', steps: [['p', 1, 'live'], ['p', 2, 'live'], ['q', 2, 'live']], want: 'yyy' },
    { name: 'an exact live repeat is refused', steps: [['p', 1, 'live'], ['p', 1, 'live']], want: 'yn' },
    { name: 'an edge clock stepping back is not a repeat', steps: [['p', 5, 'live'], ['p', 3, 'live']], want: 'yy' },
    { name: 'a birth restating the last sample is refused', steps: [['p', 1, 'live'], ['p', 1, 'birth']], want: 'yn' },
    { name: 'after forget (comm_fail, building lost) the restatement restores the state', steps: [['p', 1, 'live'], ['forget', 'p'], ['p', 1, 'birth']], want: 'y-y' },
    { name: 'replay in order, then its re-sent tail refused', steps: [['p', 1, 'historical'], ['p', 2, 'historical'], ['p', 2, 'historical'], ['p', 1, 'historical'], ['p', 3, 'historical']], want: 'yynny' },
    { name: 'the newest spooled sample already came in the birth', steps: [['p', 9, 'birth'], ['p', 8, 'historical'], ['p', 9, 'historical']], want: 'yyn' },
  ] as Array<{ name: string; steps: Step[]; want: string }>)('$name', ({ steps, want }) => {
    expect(run(steps)).toBe(want);
  });
});
