// Wall benchmark: in headless Chromium (software WebGL), a generated building with 10 floors,
// 500 rooms and 20,000 device markers receiving 10,000 updates/s. Reports the main-thread time
// per frame to apply updates (goal ≤ 4 ms), load → first full render on loopback (goal ≤ 2 s),
// and the console's JS sizes (initial vs lazy chunks). `npx tsx bench/wall.ts`
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { ensureConsoleBuilt, launchChromium, REPO_ROOT } from '../test/e2e/harness.js';
import { waitForExpression } from '../test/support/wait-for.js';

const BENCH_PAGE = path.join(REPO_ROOT, 'console', 'src', 'wall', 'bench');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/$/, '/index.html'));
    if (!file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

export interface WallBenchResult {
  firstRenderMs: number;
  /** Of which: building the scene (geometry, instanced markers) and drawing the first frame. */
  buildMs: number;
  firstFrameMs: number;
  /** Apply time scaled to one 60 Hz frame's share of the load (≈167 updates). */
  shareMedianMs: number;
  shareP95Ms: number;
  applyMedianMs: number;
  applyP95Ms: number;
  applyMaxMs: number;
  frames: number;
  updatesPerSecond: number;
  drawCalls: number;
  initialJsBytes: number;
  lazyChunks: Record<string, number>;
}

export async function benchWall(opts: { runMs?: number } = {}): Promise<WallBenchResult> {
  // The console's own chunks: what the login page loads vs what the wall/trends load later.
  await ensureConsoleBuilt();
  const assets = path.join(REPO_ROOT, 'dist', 'console', 'assets');
  const indexHtml = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'console', 'index.html'), 'utf8');
  let initialJsBytes = 0;
  const lazyChunks: Record<string, number> = {};
  for (const name of fs.readdirSync(assets)) {
    if (!name.endsWith('.js')) continue;
    const size = fs.statSync(path.join(assets, name)).size;
    if (indexHtml.includes(name)) initialJsBytes += size;
    else lazyChunks[name.replace(/-[\w-]{8}\.js$/, '')] = size;
  }

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wall-bench-'));
  const server = await (async () => {
    await build({ configFile: false, root: BENCH_PAGE, logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 } });
    return serve(outDir);
  })();
  const browser = await launchChromium({ webgl: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?ms=${opts.runMs ?? 5000}`;
    await page.goto(url);
    await waitForExpression(page, () => window.__benchDone === true, undefined, { timeout: 120_000 });
    const r = await page.evaluate(() => window.__bench!);
    const seconds = (opts.runMs ?? 5000) / 1000;
    return {
      firstRenderMs: r.firstRenderMs,
      buildMs: r.buildMs,
      firstFrameMs: r.firstFrameMs,
      shareMedianMs: pct(r.perFrameShareMs, 50),
      shareP95Ms: pct(r.perFrameShareMs, 95),
      applyMedianMs: pct(r.applyMs, 50),
      applyP95Ms: pct(r.applyMs, 95),
      applyMaxMs: Math.max(...r.applyMs),
      frames: r.frames,
      updatesPerSecond: r.updates / seconds,
      drawCalls: r.drawCalls,
      initialJsBytes,
      lazyChunks,
    };
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await benchWall();
  const rows: Array<[string, string, string]> = [
    ['load → first full render (10 floors, 500 rooms, 20,000 markers)', `${r.firstRenderMs.toFixed(0)} ms`, '≤ 2000 ms'],
    ['  of which building the scene', `${r.buildMs.toFixed(0)} ms`, ''],
    ['  of which drawing the first frame', `${r.firstFrameMs.toFixed(0)} ms`, ''],
    ['apply per 60 Hz frame (167 updates), median', `${r.shareMedianMs.toFixed(2)} ms`, '≤ 4 ms'],
    ['apply per 60 Hz frame (167 updates), p95', `${r.shareP95Ms.toFixed(2)} ms`, '≤ 4 ms'],
    ['apply per rendered frame (all updates since the last), median', `${r.applyMedianMs.toFixed(2)} ms`, ''],
    ['apply per rendered frame, max', `${r.applyMaxMs.toFixed(2)} ms`, ''],
    ['frames measured / updates per second', `${r.frames} / ${r.updatesPerSecond.toFixed(0)}`, '10,000/s'],
    ['draw calls per frame', String(r.drawCalls), ''],
    ['initial JS (login page, table)', kb(r.initialJsBytes), ''],
    ...Object.entries(r.lazyChunks).sort((a, b) => b[1] - a[1]).map(([name, size]) => [`lazy chunk ${name}`, kb(size), ''] as [string, string, string]),
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  process.stdout.write(`wall benchmark (headless Chromium, SwiftShader WebGL, ${os.cpus().length} cores)\n`);
  for (const [what, value, goal] of rows) process.stdout.write(`${what.padEnd(width)}  ${value.padStart(10)}  ${goal}\n`);
}
