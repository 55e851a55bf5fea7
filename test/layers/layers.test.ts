// The layer rules of .dependency-cruiser.cjs (run on the real tree by `npm run lint:layers` in
// `npm test`) proven able to fail: a small tree with one violation per rule must report each one,
// and the same tree without them must pass.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as { forbidden: unknown[] };

let dir: string;
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

async function violations(): Promise<Array<{ rule: string; from: string; to: string }>> {
  const cwd = process.cwd();
  process.chdir(dir); // rule paths are relative to the repository root
  try {
    const r = await cruise(['contracts', 'hub', 'drivers', 'console', 'simulators', 'floorplans', 'test'], {
      ruleSet: { forbidden: config.forbidden } as never,
      validate: true,
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      outputType: 'json',
    });
    const out = JSON.parse(r.output as string) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
    return out.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })).sort((a, b) => a.rule.localeCompare(b.rule) || a.from.localeCompare(b.from));
  } finally {
    process.chdir(cwd);
  }
}

// Each test gets its own clean tree: the violations one test writes never reach another.
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-layers-'));
  write('contracts/point.ts', 'export type Id = string;\n');
  write('hub/state.ts', "import type { Id } from '../contracts/point.js';\nexport const s: Id = 'x';\n");
  write('drivers/modbus/driver.ts', "import type { Id } from '../../contracts/point.js';\nexport const d: Id = 'x';\n");
  write('simulators/modbus/sim.ts', 'export const sim = 1;\n');
  write('console/src/app.ts', "import type { Id } from '../../contracts/point.js';\nexport const a: Id = 'x';\n");
  write('floorplans/geometry.ts', "import type { Id } from '../contracts/point.js';\nexport const g: Id = 'x';\n");
  // A test may join a driver, its simulator and the hub.
  write('test/conformance/modbus.ts', "import { d } from '../../drivers/modbus/driver.js';\nimport { sim } from '../../simulators/modbus/sim.js';\nimport { s } from '../../hub/state.js';\nexport const all = [d, sim, s];\n");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('layer rules', () => {
  it('a tree that keeps to the layers passes (tests may cross them)', async () => {
    expect(await violations()).toEqual([]);
  });

  it('report every kind of violation, by rule', async () => {
    write('contracts/bad.ts', "import { s } from '../hub/state.js';\nexport const b = s;\n");
    write('drivers/modbus/fixture.ts', "import { sim } from '../../simulators/modbus/sim.js';\nimport { s } from '../../hub/state.js';\nexport const f = [sim, s];\n");
    write('simulators/modbus/cheat.ts', "import { d } from '../../drivers/modbus/driver.js';\nexport const c = d;\n");
    write('console/src/scene.ts', "import { g } from '../../floorplans/geometry.js';\nexport const sc = g;\n");
    write('floorplans/gen.ts', "import { s } from '../hub/state.js';\nexport const gen = s;\n");
    write('hub/player.ts', "import { a } from '../console/src/app.js';\nexport const p = a;\n");
    write('hub/a.ts', "import { b } from './b.js';\nexport const a1 = 1 + b;\n");
    write('hub/b.ts', "import type { } from './a.js';\nexport const b = 2;\n");
    const found = await violations();
    const byRule = (rule: string) => found.filter((v) => v.rule === rule).map((v) => `${v.from} → ${v.to}`);
    expect(byRule('contracts-import-nothing')).toEqual(['contracts/bad.ts → hub/state.ts']);
    expect(byRule('drivers-not-to-hub-console-simulators')).toEqual(['drivers/modbus/fixture.ts → hub/state.ts', 'drivers/modbus/fixture.ts → simulators/modbus/sim.ts'].sort());
    expect(byRule('simulators-not-to-drivers-hub')).toEqual(['simulators/modbus/cheat.ts → drivers/modbus/driver.ts']);
    expect(byRule('console-only-contracts')).toEqual(['console/src/scene.ts → floorplans/geometry.ts']);
    expect(byRule('floorplans-only-contracts')).toEqual(['floorplans/gen.ts → hub/state.ts']);
    expect(byRule('hub-not-to-console')).toEqual(['hub/player.ts → console/src/app.ts']);
    expect(byRule('no-circular').length).toBeGreaterThan(0);
    expect(found.filter((v) => v.rule === 'no-circular').every((v) => /^hub\/[ab]\.ts$/.test(v.from))).toBe(true);
  });
});
