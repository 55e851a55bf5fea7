// `npm run testrun -- --soak 1h --scale 60`: runs the site for a while with the simulators' clock
// at `scale`× (office days, nights, weekends pass at that speed in the device models), injects a
// fault now and then (leak, forced door, comm flap, sensor ramp) and clears it, and checks at the
// end: RSS growth, journal/spool growth, samples ingested vs written to history, EEMUA alarm KPIs.
import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../hub/testruns/suite.js';
import type { TestStack } from './testrun-stack.js';

export interface SoakOptions {
  hub: string;
  duration: string;
  scale: number;
  out: string;
  user: string;
  password(user: string): string;
  /** The in-process stack (file sizes are read from its data folder). */
  stack?: TestStack;
}

/** One metric value from Prometheus text (sum over label sets). Pure. */
export function metric(text: string, name: string): number {
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    seen = true;
  }
  return seen ? sum : NaN;
}

export interface SoakCheck { name: string; ok: boolean; detail: string }

/**
 * The end-of-soak verdicts. Pure. EEMUA 191: ≤ 1 alarm / 10 min on average (well tuned), ≤ 10 in the
 * busiest 10 min. The device models run `scale`× faster than the hub's clock, so each real 10 minutes
 * hold scale × 10 minutes of the site's life: the average is compared per 10 minutes of site time
 * (the busiest-window check stays on the hub's clock, which is the stricter reading). The journal is
 * judged by what it holds, entries per activation (a raise, its ack and clear, a few comments or
 * shelves), not by the size of its SQLite files, whose write-ahead log grows by whole pages until a
 * checkpoint (1.6 MiB for ~50 activations in the first 1 h run: pages, not rows).
 */
export function soakChecks(s: {
  rss0: number; rss1: number; ingested: number; written: number; queued: number; deadLetters: number;
  journalRows: number; activations: number; journalBytes: number; faults: number; scale: number;
  kpi: { per10MinAvg: number; per10MinMax: number };
}): SoakCheck[] {
  const growth = (s.rss1 - s.rss0) / s.rss0;
  const lost = s.ingested - s.written - s.queued;
  const perActivation = s.journalRows / Math.max(1, s.activations);
  const siteAvg = s.kpi.per10MinAvg / s.scale;
  return [
    { name: 'RSS growth ≤ 10%', ok: growth <= 0.1, detail: `${(s.rss0 / 2 ** 20).toFixed(0)} → ${(s.rss1 / 2 ** 20).toFixed(0)} MiB (${(growth * 100).toFixed(1)}%)` },
    { name: 'no samples lost', ok: lost <= 0 && s.deadLetters === 0, detail: `${s.ingested} ingested, ${s.written} written, ${s.queued} queued, ${s.deadLetters} dead letters` },
    { name: 'journal: ≤ 8 entries per activation', ok: perActivation <= 8, detail: `${s.journalRows} entries for ${s.activations} activations (${perActivation.toFixed(1)}), ${s.faults} injected faults; alarm files +${(s.journalBytes / 1024).toFixed(0)} KiB` },
    { name: 'EEMUA: ≤ 1 alarm / 10 min of site time on average', ok: siteAvg <= 1, detail: `${siteAvg.toFixed(3)} (${s.kpi.per10MinAvg.toFixed(2)} per 10 min of hub time at ${s.scale}×)` },
    { name: 'EEMUA: ≤ 10 alarms in the busiest 10 min', ok: s.kpi.per10MinMax <= 10, detail: `${s.kpi.per10MinMax} max (hub time)` },
  ];
}

const FAULTS = [
  { kind: 'leak', point: 'hq/a/l03/archive-303/leak-1/leak', durationS: 20 },
  { kind: 'forced-door', point: 'hq/a/l05/server-501/door-1/forced', durationS: 15 },
  { kind: 'comm-flap', connection: 'modbus-gw-l02', periodS: 3, durationS: 20 },
  { kind: 'ramp', point: 'hq/a/b1/archive-b103/env-1/humidity', to: 66, rampS: 30, durationS: 60 },
];

function dirSize(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
}

export async function runSoak(o: SoakOptions): Promise<number> {
  const durationMs = parseDuration(o.duration);
  const login = await fetch(`${o.hub}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: o.user, password: o.password(o.user) }) });
  if (!login.ok) throw new Error(`sign-in as ${o.user} failed: ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${o.hub}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
  };
  // /metrics takes its own token (WATCHFLOOR_METRICS_TOKEN) or a loopback scraper, not a session.
  const metrics = async () => {
    const res = await fetch(`${o.hub}/metrics`, { headers: process.env.WATCHFLOOR_METRICS_TOKEN ? { authorization: `Bearer ${process.env.WATCHFLOOR_METRICS_TOKEN}` } : {} });
    if (!res.ok) throw new Error(`GET /metrics: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res.text();
  };
  const journalSize = () => (o.stack ? dirSize(path.join(o.stack.dataDir, 'alarms')) : 0);
  console.log(`soak ${o.duration} at ${o.scale}× (${((durationMs * o.scale) / 3_600_000).toFixed(1)} simulated hours)`);
  // Warm-up: the first minute allocates caches, JIT, the history store.
  await new Promise((r) => setTimeout(r, Math.min(30_000, durationMs / 6)));
  const t0 = Date.now();
  const m0 = await metrics();
  const rss0 = metric(m0, 'watchfloor_process_resident_memory_bytes');
  const journal0 = journalSize();
  const rows: string[] = ['t_s,rss_mib,ingested,written,queued'];
  let faults = 0;
  let next = 0;
  while (Date.now() - t0 < durationMs) {
    if (Date.now() - t0 >= next) {
      const f = FAULTS[faults % FAULTS.length];
      await call('POST', '/api/testruns/faults', { ...f, tag: 'soak' }).then(() => faults++, (err: Error) => console.log(`  fault refused: ${err.message}`));
      next += Math.max(30_000, durationMs / 8);
    }
    await new Promise((r) => setTimeout(r, 10_000));
    const m = await metrics();
    const line = [Math.round((Date.now() - t0) / 1000), (metric(m, 'watchfloor_process_resident_memory_bytes') / 2 ** 20).toFixed(1), metric(m, 'watchfloor_samples_ingested_total'), metric(m, 'watchfloor_history_written_total'), metric(m, 'watchfloor_history_queue_lines')].join(',');
    rows.push(line);
    console.log(`  ${line}`);
  }
  await call('POST', '/api/testruns/stop-all', {});
  await new Promise((r) => setTimeout(r, 5000)); // the last history batch
  const m1 = await metrics();
  const kpi = (await call('GET', `/api/alarms/kpi?from=${t0}&to=${Date.now()}`)) as { per10MinAvg: number; per10MinMax: number };
  const journal = (await call('GET', `/api/alarms/journal?from=${t0}&limit=100000`)) as Array<{ kind: string }>;
  const checks = soakChecks({
    rss0, rss1: metric(m1, 'watchfloor_process_resident_memory_bytes'),
    ingested: metric(m1, 'watchfloor_samples_ingested_total') - metric(m0, 'watchfloor_samples_ingested_total'),
    written: metric(m1, 'watchfloor_history_written_total') - metric(m0, 'watchfloor_history_written_total'),
    queued: metric(m1, 'watchfloor_history_queue_lines') - metric(m0, 'watchfloor_history_queue_lines'),
    deadLetters: metric(m1, 'watchfloor_history_dead_letters') || 0,
    journalRows: journal.length, activations: journal.filter((r) => r.kind === 'activate' || r.kind === 're-alarm').length,
    journalBytes: journalSize() - journal0, faults, kpi, scale: o.scale,
  });
  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(path.join(o.out, 'soak.csv'), `${rows.join('\n')}\n`);
  fs.writeFileSync(path.join(o.out, 'soak.json'), JSON.stringify({ duration: o.duration, scale: o.scale, faults, checks }, null, 2));
  for (const c of checks) console.log(`${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
