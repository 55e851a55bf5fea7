// scripts/launch.mjs: a bundle runs only while it is fresh, keeps `import.meta` pointing at the
// sources and keeps dynamic imports lazy. Built with the real esbuild into a temp project.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types
import { buildBundle, ensureBundle, freshBundle } from './launch.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-launch-'));
  dirs.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  fs.symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), [
    "import { here } from './here.js';",
    "const n: number = 1;",
    "console.log(JSON.stringify({ here, n, lazy: (await import('./lazy.js')).lazy }));",
  ].join('\n'));
  fs.writeFileSync(path.join(root, 'src', 'here.ts'), "export const here = new URL('./data.txt', import.meta.url).pathname;\n");
  fs.writeFileSync(path.join(root, 'src', 'lazy.ts'), "export const lazy = 'v1';\n");
  return root;
}

const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' }));
/** Written after the build: newer than it. */
const touch = (file: string) => fs.utimesSync(file, new Date(), new Date());

describe('launch.mjs bundles', () => {
  it('builds once, runs the bundle with the sources\' import.meta, and a lazy import is a separate chunk', async () => {
    const root = project();
    expect(freshBundle('src/main.ts', root)).toBeNull();
    const main = await ensureBundle('src/main.ts', root);
    expect(main.startsWith(path.join(root, 'dist', 'node'))).toBe(true);
    expect(run(main)).toEqual({ here: path.join(root, 'src', 'data.txt'), n: 1, lazy: 'v1' });
    expect(fs.readFileSync(main, 'utf8')).not.toContain("'v1'");
    expect(freshBundle('src/main.ts', root)).toBe(main);
  });

  it('is stale when an input changes, is removed, or package.json changes; never runs a stale one', async () => {
    const root = project();
    const first = await buildBundle('src/main.ts', root);
    fs.writeFileSync(path.join(root, 'src', 'lazy.ts'), "export const lazy = 'v2';\n");
    touch(path.join(root, 'src', 'lazy.ts'));
    expect(freshBundle('src/main.ts', root)).toBeNull();
    const second = await ensureBundle('src/main.ts', root);
    expect(second).not.toBe(first);
    expect(run(second).lazy).toBe('v2');

    // A removed input: stale; back as it was (an older mtime), the same bundle is fresh again.
    const here = path.join(root, 'src', 'here.ts');
    const text = fs.readFileSync(here, 'utf8');
    fs.rmSync(here);
    expect(freshBundle('src/main.ts', root)).toBeNull();
    fs.writeFileSync(here, text);
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(here, past, past);
    expect(freshBundle('src/main.ts', root)).toBe(second);

    touch(path.join(root, 'package.json'));
    expect(freshBundle('src/main.ts', root)).toBeNull();
  });
});
