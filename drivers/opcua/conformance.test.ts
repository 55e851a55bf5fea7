// Runs the shared conformance scenario against the OPC UA driver + simulator
// (the same fixture the lead registers in drivers/conformance.fixtures.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../conformance.js';
import { opcuaConformanceFixture } from './conformance-fixture.js';
import { opcuaFactory } from './index.js';

describe('OPC UA driver conformance', () => {
  it('start → samples → killed → comm_fail → back → recovery → write confirmed → stop', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-conf-opcua-'));
    try {
      const report = await runConformance(opcuaFactory, opcuaConformanceFixture, dataDir);
      expect(report.samplesBeforeKill).toBeGreaterThan(0);
      expect(report.commFailPoints).toBe(4);
      expect(report.recoveredPoints).toBe(4);
      expect(report.write).toEqual({ confirmed: true, readBack: 26.5 });
      expect(report.publishedAfterStop).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
