import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../drivers/registry.js';
import { runConformance } from './run.js';
import { FIXTURES } from './fixtures.js';

describe('driver conformance', () => {
  it('every registered driver has a simulator fixture', () => {
    const missing = DRIVERS.map((d) => d.protocol).filter((p) => !FIXTURES[p]);
    expect(missing, `drivers without a conformance fixture: ${missing.join(', ')}`).toEqual([]);
  });

  for (const factory of DRIVERS) {
    it(`${factory.protocol}: start → samples → killed → comm_fail → back → recovery → write confirmed → stop`, async () => {
      const fixture = FIXTURES[factory.protocol];
      if (!fixture) throw new Error(`no conformance fixture for ${factory.protocol}: add one to test/conformance/fixtures.ts`);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `wf-conf-${factory.protocol}-`));
      try {
        const report = await runConformance(factory, fixture, dataDir);
        expect(report.samplesBeforeKill).toBeGreaterThan(0);
        expect(report.commFailPoints).toBeGreaterThan(0);
        expect(report.recoveredPoints).toBe(report.commFailPoints);
        // Every driver with something to write confirms it by read-back; a read-only one refuses.
        expect('confirmed' in report.write ? report.write.confirmed : report.write.refused === 'not_writable').toBe(true);
        expect(report.publishedAfterStop).toBe(0);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
