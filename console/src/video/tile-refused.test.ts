// A camera tile in Chromium when the hub refuses the viewer (viewer limit): the tile says why, with
// the camera and the limit from the hub's coded refusal, instead of "reconnecting" forever.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { VideoGateway } from '../../../hub/video/gateway.js';
import { CHROMIUM_ARGS } from '../../../test/video/player-page.js';
import { waitForExpression } from '../../../test/support/wait-for.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const here = path.dirname(fileURLToPath(import.meta.url));
const js = (file: string) => ts.transpileModule(readFileSync(path.join(here, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;

const PAGE = `<!doctype html><html><body><div id="wall" style="width:640px"></div><script type="module">
  import { createCameraTile } from '/camera-wall.js';
  const tile = createCameraTile({ id: 'cam-gate', name: { en: 'Gate', 'zh-CN': '大门' }, videoPath: '/video/cam-gate' }, { token: 't', locale: 'en', origin: 'ws://' + location.host });
  document.getElementById('wall').append(tile.el);
</script></body></html>`;

describe('a refused viewer in the browser', () => {
  let gateway: VideoGateway;
  let server: Server;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  let first: WebSocket;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wf-refused-'));
    // No camera behind the URL: the first viewer holds the only place while the stream retries.
    gateway = new VideoGateway({
      cameras: { ids: () => ['cam-gate'], get: (id) => (id === 'cam-gate' ? { id, streamUri: 'rtsp://127.0.0.1:9/none', codec: 'H264' } : undefined) },
      dataDir, authorize: async () => ({ ok: true, user: 'test' }), log: silent, limits: { maxViewersPerCamera: 1 },
    });
    const files: Record<string, string> = { '/camera-wall.js': js('camera-wall.ts'), '/player.js': js('player.ts') };
    server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      if (body) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    });
    gateway.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    first = new WebSocket(`ws://${base}/video/cam-gate`);
    await new Promise((r, j) => (first.once('message', r), first.once('error', j)));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    first?.close();
    await browser?.close();
    await gateway?.close();
    server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the tile shows "Video unavailable — camera cam-gate already has 1 viewers…"', async () => {
    const page = await browser.newPage();
    await page.goto(`http://${base}/`);
    await waitForExpression(page, "document.querySelector('.camera-tile')?.dataset.state === 'failed'", undefined, { timeout: 30_000 });
    const badge = (await page.evaluate("document.querySelector('.camera-tile-state').textContent")) as string;
    expect(badge).toMatch(/^Video unavailable — camera cam-gate already has 1 viewers, its limit/);
    await page.close();
  }, 60_000);
});
