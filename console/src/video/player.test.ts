// The player in real Chromium: simulated camera → gateway (real ffmpeg) → WebSocket → MediaSource.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from '../../../simulators/onvif/index.js';
import { VideoGateway } from '../../../hub/video/gateway.js';
import { CHROMIUM_ARGS, PLAYER_PAGE, playerModuleJs } from '../../../test/video/player-page.js';
import { codecOfInit } from './player.js';
import { waitForExpression } from '../../../test/support/wait-for.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

describe('LowLatencyPlayer in Chromium', () => {
  let sim: OnvifSimulator;
  let gateway: VideoGateway;
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'cam1', name: 'Car park B1', width: 320, height: 240, fps: 15 }] });
    const rtsp = sim.cameras[0].rtspUrl;
    gateway = new VideoGateway({
      cameras: { ids: () => ['cam1'], get: (id) => (id === 'cam1' ? { id, streamUri: rtsp } : undefined) },
      dataDir: mkdtempSync(path.join(tmpdir(), 'wf-player-')),
      authorize: async () => ({ ok: true, user: 'test' }),
      log: silent, graceMs: 500,
    });
    const js = playerModuleJs();
    server = createServer((req, res) => {
      if (req.url?.startsWith('/player.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      res.writeHead(200, { 'content-type': 'text/html' }).end(PLAYER_PAGE);
    });
    gateway.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    server?.close();
    await sim?.stop();
  });

  it('plays: video.currentTime advances', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/?camera=cam1`);
    await waitForExpression(page, () => (document.getElementById('v') as HTMLVideoElement).currentTime > 0, undefined, { timeout: 20_000 });
    const t1 = await page.evaluate(() => (document.getElementById('v') as HTMLVideoElement).currentTime);
    await waitForExpression(page, (t) => (document.getElementById('v') as HTMLVideoElement).currentTime > t + 1, t1, { timeout: 20_000 });
    const info = await page.evaluate(() => {
      const v = document.getElementById('v') as HTMLVideoElement;
      return { w: v.videoWidth, h: v.videoHeight, states: (window as any).states as string[], paused: v.paused };
    });
    expect(info).toMatchObject({ w: 320, h: 240, paused: false });
    expect(info.states).toContain('playing');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('codecOfInit', () => {
  it('reads avc1.PPCCLL from avcC, undefined without one', () => {
    const init = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('ftypisom'), Buffer.from('....avcC'), Buffer.from([1, 0x42, 0xc0, 0x1e, 0xff]), Buffer.alloc(8)]);
    expect(codecOfInit(init)).toBe('avc1.42c01e');
    expect(codecOfInit(Buffer.from('nothing here at all, no box'))).toBeUndefined();
  });
});
