// Control benchmarks: (1) one schedule-engine evaluation tick over 5,000 zones (pure evaluation +
// optimal start, no device writes); (2) broadcast latency: operator's API call → first RTP packet
// at the simulated PA endpoint (real hub, real espeak-ng/ffmpeg, PA simulator), p50/p95.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPaSimulator } from '../simulators/pa/index.js';
import { hashPassword } from '../hub/auth/password.js';
import { createBroadcastModule } from '../hub/broadcast/index.js';
import { broadcastFileSchema } from '../hub/broadcast/schema.js';
import { buildCalendar } from '../hub/control/calendar.js';
import { ScheduleEngine } from '../hub/control/schedule-engine.js';
import { scheduleSchema, zoneGroupSchema } from '../hub/control/schedule-schema.js';
import { zonedToUtc } from '../contracts/timezone.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { ScriptedDriver, testSiteConfig } from '../hub/test-support.js';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function benchScheduleTick(zones: number): Promise<Record<string, number>> {
  const groups = Array.from({ length: zones / 50 }, (_, g) => zoneGroupSchema.parse({
    id: `g${g}`, name: { en: 'g', 'zh-CN': 'g' },
    zones: Array.from({ length: 50 }, (_, z) => ({ id: `z${z}`, setpoint: `sp-${g}-${z}`, temperature: `t-${g}-${z}`, limits: { min: 18, max: 28 } })),
  }));
  const work = [{ start: '08:00', end: '12:00', mode: 'occupied' }, { start: '12:00', end: '13:30', mode: 'standby' }, { start: '13:30', end: '18:00', mode: 'occupied' }];
  const schedules = groups.map((g, i) => scheduleSchema.parse({
    id: `s${i}`, name: { en: 's', 'zh-CN': 's' }, groups: [g.id],
    modes: { occupied: { setpoint: 24 }, standby: { setpoint: 26 }, unoccupied: { setpoint: 28 } },
    week: { mon: work, tue: work, wed: work, thu: work, fri: work, sat: [], sun: [] },
    exceptions: [{ date: '2026-03-14', periods: [{ start: '08:30', end: '12:00', mode: 'occupied' }] }],
  }));
  const temps = new Map<string, { id: string; value: number; quality: 'good'; readTs: number; changedTs: number }>();
  for (const g of groups) for (const z of g.zones) temps.set(z.temperature!, { id: z.temperature!, value: 27, quality: 'good', readTs: 0, changedTs: 0 });
  let clock = zonedToUtc('Asia/Shanghai', 2026, 3, 16, 7);
  const engine = new ScheduleEngine({
    groups, calendar: buildCalendar({ holidays: [{ from: '2026-02-15', to: '2026-02-23', name: 'x' }], workdays: [] }), timezone: 'Asia/Shanghai',
    now: () => clock, store: { get: (id) => temps.get(id), all: () => [...temps.values()] },
    priority: { command: async () => { throw new Error('not used'); } }, level: 15, log: silentLogger(),
  });
  engine.setDoc({ schedules });
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    clock += 60_000;
    const t0 = performance.now();
    const { decisions } = engine.evaluate(clock);
    times.push(performance.now() - t0);
    if (decisions.length !== zones) throw new Error(`expected ${zones} decisions, got ${decisions.length}`);
  }
  return { 'schedule tick, 5000 zones, p50 ms': +pct(times, 50).toFixed(2), 'schedule tick p95 ms': +pct(times, 95).toFixed(2) };
}

async function benchBroadcastLatency(runs: number): Promise<Record<string, number>> {
  const pa = await startPaSimulator({ zones: [{ id: 'l01' }, { id: 'l02' }] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-bc-'));
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, dataDir, users: [{ username: 'op', role: 'operator', passwordHash: hash }] });
  const file = broadcastFileSchema.parse({
    zones: ['l01', 'l02'].map((id) => ({ id, name: { en: id, 'zh-CN': id }, kind: 'floor', endpoint: { port: pa.ports[id] } })),
    messages: [{ id: 'chime', name: { en: 'c', 'zh-CN': 'c' }, kind: 'chime' }],
  });
  const hub = await createHub(config, { drivers: [new ScriptedDriver()], modules: [createBroadcastModule({ file })], listen: { port: 0 }, log: silentLogger() });
  try {
    const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'op', password: 'pw' }) });
    const token = ((await login.json()) as { token: string }).token;
    const send = (body: unknown) => fetch(`${hub.url}/api/broadcast`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    await (await send({ zones: ['l02'], message: 'chime' })).text(); // warm the audio cache
    await new Promise((r) => setTimeout(r, 1500));
    const latencies: number[] = [];
    for (let i = 0; i < runs; i++) {
      pa.clear();
      const t0 = Date.now();
      const first = pa.waitFor((p) => p.zone === 'l01', 10_000);
      const res = await send({ zones: ['l01'], message: 'chime' });
      await res.text();
      const p = await first;
      latencies.push(p.firstAt - t0);
      await new Promise((r) => setTimeout(r, 1400)); // let the 0.9 s chime finish
    }
    return { 'broadcast click→first RTP p50 ms': pct(latencies, 50), 'broadcast click→first RTP p95 ms': pct(latencies, 95), 'broadcast runs': runs };
  } finally {
    await hub.stop();
    await pa.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchControl(): Promise<Record<string, number | string>> {
  return { ...(await benchScheduleTick(5000)), ...(await benchBroadcastLatency(20)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(await benchControl());
}
