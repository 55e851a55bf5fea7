import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeYaml } from '../../lib/yaml-cache.js';
import { CONFIG_YAML_OPTIONS, MAX_CONFIG_FILE_BYTES, readYamlFile } from './read.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
// The persistent parse cache goes to this test's folder, never the repo's.
beforeEach(() => vi.stubEnv('WATCHFLOOR_CACHE_DIR', path.join(dir, '.cache')));
afterEach(() => vi.unstubAllEnvs());

function read(name: string, content: string | Buffer | 'dir' | { size: number }, required = true) {
  const file = path.join(dir, name);
  if (content === 'dir') fs.mkdirSync(file);
  else if (typeof content === 'object' && 'size' in content && !Buffer.isBuffer(content)) {
    fs.writeFileSync(file, 'a: 1\n');
    fs.truncateSync(file, content.size);
  } else fs.writeFileSync(file, content);
  const problems: string[] = [];
  const value = readYamlFile(file, { add: (f, p, m) => problems.push(`${path.basename(f)}: ${p.join('.')}${p.length ? ': ' : ''}${m}`) }, required);
  return { value, problems };
}

const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');

describe('readYamlFile: every broken file is a problem, never a throw', () => {
  it.each([
    ['alias-bomb.yaml', bomb, /^alias-bomb\.yaml: YAML refused: Excessive alias count/],
    ['undefined-alias.yaml', 'site: *nowhere\n', /^undefined-alias\.yaml: YAML refused: Unresolved alias.*nowhere/],
    ['a-directory.yaml', 'dir' as const, /^a-directory\.yaml: is a directory, not a file$/],
    ['huge.yaml', { size: MAX_CONFIG_FILE_BYTES + 1 }, /^huge\.yaml: file is 4\.0 MB; the limit is 4\.0 MB/],
    ['deep.yaml', `${'['.repeat(50_000)}${']'.repeat(50_000)}`, /^deep\.yaml: line 1, column \d+: Maximum call stack size exceeded/],
    ['syntax.yaml', 'a: [1, 2\nb: 3\n', /^syntax\.yaml: line \d+, column \d+: /],
    ['dup.yaml', 'a: 1\na: 2\n', /^dup\.yaml: line 2, column 1: Map keys must be unique/],
  ])('%s', (name, content, want) => {
    const { value, problems } = read(name, content);
    expect(value).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(want);
    for (const p of problems) expect(p).not.toMatch(/\n/);
  });

  it('a missing optional file is silently undefined; a missing required one is a problem', () => {
    const problems: string[] = [];
    const sink = { add: (_f: string, _p: unknown, m: string) => problems.push(m) };
    expect(readYamlFile(path.join(dir, 'nope.yaml'), sink, false)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(readYamlFile(path.join(dir, 'nope.yaml'), sink, true)).toBeUndefined();
    expect(problems).toEqual(['file is missing']);
  });

  it('reads good YAML, an empty file as {}, and a few aliases', () => {
    expect(read('ok.yaml', 'a: &x [1, 2]\nb: *x\n').value).toEqual({ a: [1, 2], b: [1, 2] });
    expect(read('empty.yaml', '').value).toEqual({});
  });

  it('an unchanged file comes from the parse cache as a copy; a changed one is parsed again', () => {
    const first = read('cached.yaml', 'a: { b: 1 }\n').value as { a: { b: number } };
    first.a.b = 99; // a caller's change never reaches the cache
    expect(read('cached.yaml', 'a: { b: 1 }\n').value).toEqual({ a: { b: 1 } });
    expect(read('cached.yaml', 'a: { b: 2 }\n').value).toEqual({ a: { b: 2 } });
    expect(read('cached.yaml', 'a: { b: 2\n').problems.length).toBeGreaterThan(0);
  });
});

describe('readYamlFile: the persistent parse cache (lib/yaml-cache.ts)', () => {
  let cacheRoot: string;
  const entries = () => {
    const d = path.join(cacheRoot, 'yaml');
    return fs.existsSync(d) ? fs.readdirSync(d).filter((n) => n.endsWith('.v8')) : [];
  };
  beforeEach(() => {
    cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-read-cache-'));
    vi.stubEnv('WATCHFLOOR_CACHE_DIR', cacheRoot);
  });
  afterEach(() => fs.rmSync(cacheRoot, { recursive: true, force: true }));

  it('a clean parse is stored; the same text in another file (or process) is served from it', () => {
    expect(read('store-a.yaml', 'x: { y: [1, 2] }\n').value).toEqual({ x: { y: [1, 2] } });
    expect(entries()).toHaveLength(1);
    // Planted under the config reader's key: a read of that text must return it, not parse.
    storeYaml('planted: 1\n', CONFIG_YAML_OPTIONS, { planted: 'from the cache' }, path.join(cacheRoot, 'yaml'));
    expect(read('store-b.yaml', 'planted: 1\n').value).toEqual({ planted: 'from the cache' });
    // An empty file is {} whether parsed or cached.
    expect(read('empty-a.yaml', '').value).toEqual({});
    expect(read('empty-b.yaml', '').value).toEqual({});
  });

  it('a cached value is a copy: a caller changing it does not reach the next read', () => {
    const first = read('copy-a.yaml', 'list: [1, 2]\n').value as { list: number[] };
    first.list.push(3);
    expect(read('copy-b.yaml', 'list: [1, 2]\n').value).toEqual({ list: [1, 2] });
  });

  it('a YAML error, an alias bomb, an undefined alias are never stored and report as before', () => {
    for (let i = 0; i < 2; i++) {
      expect(read(`err-${i}.yaml`, 'a: 1\nb: [1, 2\nc: 3\n').problems[0]).toMatch(/^err-\d\.yaml: line \d+, column \d+: /);
      expect(read(`bomb-${i}.yaml`, bomb).problems[0]).toMatch(/YAML refused: Excessive alias count/);
      expect(read(`alias-${i}.yaml`, 'site: *nowhere\n').problems[0]).toMatch(/YAML refused: Unresolved alias/);
    }
    expect(entries()).toEqual([]);
  });

  it('an unusable cache folder changes nothing but the speed', () => {
    const blocker = path.join(cacheRoot, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    vi.stubEnv('WATCHFLOOR_CACHE_DIR', blocker);
    expect(read('nocache.yaml', 'a: 1\n').value).toEqual({ a: 1 });
    expect(read('nocache-2.yaml', 'a: [1\n').problems[0]).toMatch(/line \d+, column \d+/);
  });
});
