// Memory per configured point: a fresh hub process per size (0 = the base), each fed every point every
// 5 s for a steady period, then garbage-collected; RSS and heap per point above the base.
//
//   npm run bench -- memory      BENCH_MEMORY_POINTS=10000,100000,500000 BENCH_MEMORY_SECONDS=30
import { execFile } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

interface Reading { points: number; startMs: number; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }

function measure(points: number, steadyMs: number): Promise<Reading> {
  return new Promise((ok, fail) => {
    execFile(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(here, 'memory-child.ts'), String(points), String(steadyMs)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return fail(new Error(`memory child (${points} points) failed: ${err?.message ?? ''} ${stderr.slice(-2000)}`));
      ok(JSON.parse(line) as Reading);
    });
  });
}

export async function benchMemory(): Promise<Record<string, number | string>> {
  const sizes = (process.env.BENCH_MEMORY_POINTS ?? '10000,100000,500000').split(',').map(Number);
  const steadyMs = Number(process.env.BENCH_MEMORY_SECONDS ?? 30) * 1000;
  const mib = (b: number) => Math.round(b / 2 ** 20);
  const out: Record<string, number | string> = {
    setup: `fresh hub per size: ingest, state, live, history (→ null InfluxDB sink); every point fed every 5 s for ${steadyMs / 1000} s, then gc; load ${load()}`,
  };
  const base = await measure(0, steadyMs);
  out['base (0 points): RSS / heap MiB'] = `${mib(base.rss)} / ${mib(base.heapUsed)}`;
  for (const n of sizes) {
    const r = await measure(n, steadyMs);
    out[`${n} points: RSS / heap MiB`] = `${mib(r.rss)} / ${mib(r.heapUsed)}`;
    out[`${n} points: RSS / heap bytes per point above base`] = `${Math.round((r.rss - base.rss) / n)} / ${Math.round((r.heapUsed - base.heapUsed) / n)}`;
    out[`${n} points: hub start ms`] = Math.round(r.startMs);
    out[`${n} points: load`] = load();
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchMemory();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(50)} ${v}`);
}
