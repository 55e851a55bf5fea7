// Keep it fixed (issue 11): ≥ 50 generated bad config folders, each refused by the same entry
// point `npm run check-config` and the hub use (validateConfigFolder), with every problem as
// `file: path: reason`, and never a stack trace — in process, and through the real CLIs for a few.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFolder } from '../../hub/config/check.js';
import { ConfigError, formatProblem } from '../../hub/config/errors.js';
import { validateConfigFolder } from '../../hub/config/validate.js';
import { REPO_ROOT } from '../../hub/server.js';
import { mutationArb, writeMutatedFolder, type Mutation } from './config-corpus.js';
import { fuzzSeed } from './seed.js';

const seed = fuzzSeed('config');
const FOLDERS = Number(process.env.FUZZ_CONFIG_FOLDERS ?? 60);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-config-fuzz-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const STACK = /\n\s+at\s|\bat .+:\d+:\d+\)/;
let n = 0;
const folder = (mutations: readonly Mutation[]) => {
  const dir = path.join(root, `c${n++}`);
  return { dir, floorplansDir: writeMutatedFolder(dir, mutations) };
};

describe('config corpus', () => {
  it('the unmutated base folder is valid (so every refusal below is the mutation\'s)', () => {
    const { dir, floorplansDir } = folder([]);
    const cfg = validateConfigFolder(dir, { floorplansDir });
    expect(cfg.points.length).toBe(2);
    expect(cfg.floorPlans.size).toBe(1);
  });

  it(`refuses ${FOLDERS} bad folders with file: path: reason and no stack (seed ${seed})`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (mutations) => {
        const { dir, floorplansDir } = folder(mutations);
        let error: unknown;
        try {
          validateConfigFolder(dir, { floorplansDir });
        } catch (err) {
          error = err;
        }
        if (!(error instanceof ConfigError)) throw new Error(`not refused with a ConfigError: ${JSON.stringify(mutations)} → ${String(error)}`);
        expect(error.problems.length).toBeGreaterThan(0);
        for (const p of error.problems) {
          // The file is inside the folder (a config file, devices/, or a floor plan), the reason is one line.
          expect(path.resolve(p.file).startsWith(dir), p.file).toBe(true);
          expect(p.message.trim().length).toBeGreaterThan(3);
          expect(p.message).not.toMatch(/\n/);
          expect(formatProblem(p)).toMatch(/^[^\n]+: [^\n]+$/);
        }
        expect(error.message).not.toMatch(STACK);
        // check-config's own function: exit code 1, the same lines.
        const report = checkConfigFolder(dir, { floorplansDir });
        expect(report.exitCode).toBe(1);
        expect(report.text).not.toMatch(STACK);
        for (const m of mutations) seen.add(m.kind);
      }),
      { seed, numRuns: FOLDERS, endOnFailure: true },
    );
    // The generator really reaches every kind of damage.
    expect(seen.size).toBeGreaterThanOrEqual(8);
  }, 120_000);
});

const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });

describe('the real command lines', () => {
  it('npm run check-config and npm run hub refuse bad folders with one line per problem and no stack', async () => {
    // The families the issue names: an alias bomb, an undefined alias, a directory where a file
    // belongs, an oversize device file, unaffordable scrypt parameters. Two processes, not more:
    // each costs seconds of tsx start-up on a loaded machine.
    const a = folder([
      { kind: 'raw', file: 'devices/main.yaml', variant: 'alias-bomb' },
      { kind: 'raw', file: 'site.yaml', variant: 'undefined-alias' },
      { kind: 'directory', file: 'hub.yaml' },
    ]).dir;
    const b = folder([{ kind: 'oversize', file: 'devices/main.yaml' }, { kind: 'scrypt', N: 2 ** 20, r: 64, p: 16 }]).dir;
    const [check, hub] = await Promise.all([run('scripts/check-config.ts', [a]), run('hub/main.ts', [], { WATCHFLOOR_CONFIG: b })]);
    for (const r of [check, hub]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr + r.stdout).not.toMatch(STACK);
    }
    expect(check.stderr).toMatch(/devices\/main\.yaml: YAML refused: .*alias/i);
    expect(check.stderr).toMatch(/site\.yaml: YAML refused: .*alias/i);
    expect(check.stderr).toMatch(/hub\.yaml: is a directory/);
    expect(hub.stderr).toMatch(/main\.yaml: file is 5\.0 MB; the limit is 4\.0 MB/);
    expect(hub.stderr).toMatch(/users\[0\]\.password: scrypt N=1048576 r=64 needs/);
  }, 300_000); // ~10 s on an idle 2-core machine; generous for shared ones
});
