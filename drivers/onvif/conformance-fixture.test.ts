// The shared conformance scenario run against the ONVIF driver (also run by drivers/conformance.test.ts once registered there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../conformance.js';
import { onvifConformanceFixture } from './conformance-fixture.js';
import { onvifFactory } from './index.js';

describe('onvif conformance', () => {
  it('start → samples → killed → comm_fail → back → recovery → write confirmed → stop', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-conf-onvif-'));
    try {
      const report = await runConformance(onvifFactory, onvifConformanceFixture, dir);
      expect(report).toMatchObject({ commFailPoints: 3, recoveredPoints: 3, write: { confirmed: true, readBack: 'door' }, publishedAfterStop: 0 });
      expect(report.samplesBeforeKill).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
