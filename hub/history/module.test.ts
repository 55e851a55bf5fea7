// Backend selection at start: a local influxd under <dataDir>/influxdb (stopped with the module), or embedded.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHistoryModule } from './module.js';
import { historySettingsSchema } from './settings.js';
import { createTestHub, pointInfo, testConfig } from './testHarness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'watchfloor-history-mod-'));
  dirs.push(d);
  return d;
};
const P = 'hq/a/l03/meeting-301/env-1/temp';

describe('history module start-up', () => {
  it('starts a private influxd on loopback when influxd is on PATH, says so, and stops it', async () => {
    const dataDir = tempDir();
    const hub = createTestHub(testConfig([pointInfo(P, 'analog')], dataDir));
    const mod = createHistoryModule({ settings: historySettingsSchema.parse({ localInfluxd: { enabled: true, port: 0, binary: 'influxd' }, flushMs: 20 }) });
    await mod.start!(hub.ctx);
    expect(mod.choice()!.kind).toBe('local-influxd');
    const status = mod.store()!.status();
    expect(status).toMatchObject({ backend: 'influxdb', connected: true });
    const url = String(status.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(dataDir, 'influxdb', 'influxd.conf'))).toBe(true);
    // It runs at a lower CPU priority than the hub (localInfluxd.nice, default 10).
    const pid = Number(readFileSync(join(dataDir, 'influxdb', 'influxd.pid'), 'utf8').split('\n')[0]);
    expect(os.getPriority(pid)).toBe(10);
    expect(hub.logs.some((e) => e.level === 'info' && e.msg?.startsWith('history: InfluxDB local influxd'))).toBe(true);
    hub.publish([{ pointId: P, value: 20, quality: 'good', readTs: Date.now() }]);
    await mod.store()!.flush();
    expect(mod.store()!.status().written).toBe(1);
    await mod.stop!();
    await expect(fetch(`${url}/ping`)).rejects.toThrow();
  });

  it('falls back to the embedded store when influxd is not installed, and says so', async () => {
    const dataDir = tempDir();
    const hub = createTestHub(testConfig([pointInfo(P, 'analog')], dataDir));
    const mod = createHistoryModule({ settings: historySettingsSchema.parse({ localInfluxd: { enabled: true, port: 8086, binary: 'no-such-influxd' } }) });
    await mod.start!(hub.ctx);
    expect(mod.choice()).toMatchObject({ kind: 'embedded', reason: expect.stringContaining('not on PATH') });
    expect(hub.health.components().history).toMatchObject({ ok: true, backend: 'embedded' });
    const line = hub.logs.find((e) => e.level === 'info' && e.msg?.startsWith('history: embedded SQLite store'));
    expect(line?.obj).toMatchObject({ backend: 'embedded' });
    await mod.stop!();
    expect(existsSync(join(dataDir, 'history', 'embedded.sqlite'))).toBe(true);
  });
});
