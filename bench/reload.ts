// `npm run bench -- reload`: a hub ingesting 20k samples/s from 20 untouched `tick` connections
// (100 points each, every 100 ms) is told to reload a config that adds a connection with 1,000
// points. Every sample carries its sequence number and the time it was due, so the figures are
// exact: samples of untouched points lost (sequence gaps), their delay (arrival − due) around the
// reload against a quiet baseline, and how long the reload took until the new points were live.
import fs from 'node:fs';
import path from 'node:path';
import { createAlarmsModule } from '../hub/alarms/index.js';
import { validateConfigFolder } from '../hub/config/validate.js';
import { createDriversWith } from '../hub/driver-groups.js';
import { silentLogger } from '../hub/log.js';
import { devicesYaml, SITE_YAML, tickFactory, usersYaml, writeConfigDir, writeConfigFile } from '../hub/reload/test-site.js';
import { createHub } from '../hub/server.js';
import { TEST_VALIDATE_MODULE } from '../hub/reload/test-validate.js';

const CONNECTIONS = 20;
const POINTS_PER_CONNECTION = 100;
const PERIOD_MS = 100;
const ADDED = 1000;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

export async function benchReload(): Promise<Record<string, number | string>> {
  const files: Record<string, string> = { 'site.yaml': SITE_YAML, 'hub.yaml': 'port: 0\n', 'users.yaml': usersYaml([{ username: 'admin', role: 'admin', hash: "scrypt$16384$8$1$V/QN9vWrjJeft4EasNCccg==$pYw/s6nv6Jk3ROz5ZB8fpb4jk0DhdRuwUW4IbLWwqVI=" }]) };
  for (let c = 0; c < CONNECTIONS; c++) files[`devices/gw-${c}.yaml`] = devicesYaml(`gw-${c}`, `dev-${c}`, POINTS_PER_CONNECTION, PERIOD_MS);
  // A few alarm rules on untouched points, so the engine evaluates every change as in production.
  files['alarms.yaml'] = `rules:\n${Array.from({ length: 20 }, (_, c) => `  - { id: r-${c}, type: limit, point: hq/a/l01/room-101/dev-${c}/p-0, limits: { high: { value: 1000000 } }, message: { en: x, zh-CN: x } }`).join('\n')}\n`;
  const dir = writeConfigDir(files);
  const factory = tickFactory();
  const load = (d: string) => validateConfigFolder(d, { drivers: [factory], floorplansDir: false });
  const config = load(dir);
  const hub = await createHub(config, {
    drivers: createDriversWith(config, () => factory), modules: [createAlarmsModule()], log: silentLogger(), listen: { port: 0 },
    driverLookup: () => factory, validateModule: TEST_VALIDATE_MODULE, prepareReload: true,
  });

  const last = new Map<string, number>();
  let lost = 0;
  let phase: 'warm' | 'base' | 'reload' | 'done' = 'warm';
  const delays = { base: [] as number[], reload: [] as number[] };
  let untouched = 0;
  let firstNewAt = 0;
  hub.bus.subscribe(({ samples }) => {
    const now = Date.now();
    for (const s of samples) {
      if (s.pointId.includes('/dev-new/')) {
        if (!firstNewAt) firstNewAt = now;
        continue;
      }
      untouched++;
      const k = s.value as number;
      const prev = last.get(s.pointId);
      if (prev !== undefined && k !== prev + 1) lost += Math.max(0, k - prev - 1);
      last.set(s.pointId, k);
      if (phase === 'base' || phase === 'reload') delays[phase].push(now - s.readTs);
    }
  });

  // The worker validates beside ingest; it starts with the hub (prepareReload), as in hub/main.ts.
  await hub.reloadReady();
  await sleep(2000);
  phase = 'base';
  untouched = 0;
  const t0 = Date.now();
  await sleep(3000);
  const baseRate = untouched;
  phase = 'reload';
  writeConfigFile(dir, 'devices/new.yaml', devicesYaml('gw-new', 'dev-new', ADDED, 1000, 'room-102'));
  const r0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await hub.reload('bench', 'api');
  const applyMs = performance.now() - r0;
  // The process's CPU (main thread + validation worker + the ingest running meanwhile) during the reload.
  const reloadCpu = process.cpuUsage(c0);
  const reloadEnd = Date.now();
  while (!firstNewAt && Date.now() - reloadEnd < 5000) await sleep(5);
  const liveMs = firstNewAt - (reloadEnd - applyMs);
  await sleep(3000);
  phase = 'done';
  const restarted = factory.records.filter((x) => !x.connections.includes('gw-new') && x.stopped > 0).length;
  const rate = untouched / ((Date.now() - t0) / 1000);
  const newInState = [...Array(ADDED).keys()].filter((i) => hub.store.get(`hq/a/l01/room-102/dev-new/p-${i}`)?.quality === 'good').length;
  await hub.stop();
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  void baseRate;

  const b = delays.base.sort((x, y) => x - y);
  const d = delays.reload.sort((x, y) => x - y);
  return {
    'untouched samples/s': Math.round(rate),
    'reload ok': String(r.ok),
    'reload summary': r.ok ? r.summary : r.problems.join('; '),
    'reload ms, request → applied (≤ 2000)': applyMs,
    'reload main-thread apply ms': r.ok ? r.applyMs : NaN,
    'process CPU ms during the reload (all threads, ingest included)': (reloadCpu.user + reloadCpu.system) / 1000,
    'reload → first sample of a new point ms': liveMs,
    'new points good in state': `${newInState}/${ADDED}`,
    'untouched samples lost (= 0)': lost,
    'untouched delay p50 ms, baseline': pct(b, 50),
    'untouched delay p99 ms, baseline': pct(b, 99),
    'untouched delay p50 ms, reload window': pct(d, 50),
    'untouched delay p99 ms, reload window (≤ 100)': pct(d, 99),
    'untouched delay max ms, reload window': d.at(-1) ?? NaN,
    'untouched drivers restarted (= 0)': restarted,
  };
}
