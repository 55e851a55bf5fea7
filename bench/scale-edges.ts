// Child process of bench/scale.ts: one edge agent per building, each with a synthetic driver that
// reads every point once a second (readTs = generation time, so clients measure device → browser).
import { join } from 'node:path';
import type { BoundPoint, Driver, DriverContext } from '../contracts/driver.js';
import { EdgeAgent } from '../edge/agent.js';
import { loadBuilding } from '../edge/site.js';

const [dir, buildingsCsv, dataDir] = process.argv.slice(2);
const silent = { info() {}, warn() {}, error() {}, debug() {} };

class SyntheticDriver implements Driver {
  readonly protocol = 'modbus';
  produced = 0;
  paused = false;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly points: BoundPoint[]) {}
  async start(ctx: DriverContext) {
    ctx.status({ connection: this.points[0].connection, protocol: 'modbus', state: 'online', since: Date.now() });
    let n = 0;
    // Spread the points over 10 batches per second, like a poll of several devices.
    this.timer = setInterval(() => {
      if (this.paused) return;
      const slice = this.points.filter((_, i) => i % 10 === n % 10);
      const now = Date.now();
      n++;
      this.produced += slice.length;
      ctx.publish(slice.map((p, i) => ({ pointId: p.info.id, value: (n + i) % 500, quality: 'good' as const, readTs: now })));
    }, 100);
  }
  async write() {
    return { confirmed: true, readBack: 0 };
  }
  async stop() {
    if (this.timer) clearInterval(this.timer);
  }
}

const agents: Array<{ agent: EdgeAgent; driver: SyntheticDriver }> = [];
for (const b of buildingsCsv.split(',')) {
  const slice = loadBuilding(dir, b);
  const driver = new SyntheticDriver(slice.points);
  const agent = new EdgeAgent({
    group: 'hq', building: b, broker: { url: slice.estate.broker.url, keepaliveS: slice.estate.broker.keepaliveS },
    points: slice.points, drivers: [driver], dataDir: join(dataDir, b), log: silent, primaryHostId: slice.estate.hub.hostId, reconnectMs: 500,
  });
  await agent.start();
  agents.push({ agent, driver });
}
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'count') {
    const sum = (f: (a: (typeof agents)[number]) => number) => agents.reduce((s, a) => s + f(a), 0);
    process.send!({
      type: 'count', produced: sum((a) => a.driver.produced), spooled: sum((a) => a.agent.counters.spooled), replayed: sum((a) => a.agent.counters.replayed),
      dropped: sum((a) => a.agent.counters.dropped), live: agents.every((a) => a.agent.isLive), spoolBytes: sum((a) => a.agent.spooledBytes), cpu: process.cpuUsage(),
    });
  } else if (m.cmd === 'pause' || m.cmd === 'resume') {
    for (const a of agents) a.driver.paused = m.cmd === 'pause';
    process.send!({ type: 'ok' });
  }
});
process.send!({ type: 'ready' });
