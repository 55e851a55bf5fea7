// Every request of the console goes through hubFetch/hubJson in api.ts (one place for the token,
// the 401 handling and the hub's error messages): no view calls fetch() itself.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('one request path to the hub', () => {
  it('has no raw fetch() outside api.ts', () => {
    const offenders = sources(SRC)
      .filter((f) => path.relative(SRC, f) !== 'api.ts')
      .filter((f) => /(^|[^.\w])fetch\s*\(/m.test(fs.readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
