// kill -9 of the hub in the middle of work-order lifecycles: every transition the hub answered
// with 200 must be there after a restart (SQLite WAL, synchronous=FULL, one transaction per step).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killMidLifecycle } from './crash-harness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('work orders survive kill -9', () => {
  it('loses no acknowledged transition', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-wo-crash-'));
    dirs.push(dir);
    const r = await killMidLifecycle(dir, { runMs: 1000, minAcked: 40 });
    expect(r.acknowledged).toBeGreaterThanOrEqual(40);
    expect(r.inFlightAtKill).toBeGreaterThan(0);
    expect(r.lost).toEqual([]);
  }, 120_000);
});
