import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { MAX_YAML_CACHE_ENTRIES, defaultYamlCacheDir, lookupYaml, parseYamlCached, pruneYamlCache, storeYaml, yamlCacheKey } from './yaml-cache.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

/** A fresh cache folder per test (created on first write, like the real one). */
function freshDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-yaml-cache-'));
  made.push(root);
  return path.join(root, 'yaml');
}

const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.v8')) : []);

const INPUTS: Array<[string, string]> = [
  ['scalars', 'a: 1\nb: -2.5\nc: true\nd: null\ne: "text"\nf: 0x1F\n'],
  ['infinities and NaN', 'up: .inf\ndown: -.inf\nnot: .nan\n'],
  ['nested', 'site:\n  buildings:\n    - id: a\n      floors: [{ id: l01, rooms: [r1, r2] }]\n    - id: b\n'],
  ['anchors and aliases', 'base: &b { x: 1, y: [1, 2] }\none: *b\ntwo: { <<: *b, y: [3] }\n'],
  ['empty document', ''],
  ['comment only', '# nothing here\n'],
  ['a top-level list', '- 1\n- two\n- [3]\n'],
  ['unicode', 'name: { zh: 档案室, en: Archive }\n'],
];

describe('parseYamlCached', () => {
  it.each(INPUTS)('%s: a hit equals a fresh parse', (_name, text) => {
    const dir = freshDir();
    const fresh = YAML.parse(text);
    expect(parseYamlCached(text, {}, dir)).toEqual(fresh); // miss: parsed and stored
    expect(entries(dir)).toHaveLength(1);
    const hit = lookupYaml(text, {}, dir);
    expect(hit.hit).toBe(true);
    expect(hit.hit && hit.value).toEqual(fresh);
    expect(parseYamlCached(text, {}, dir)).toEqual(fresh);
  });

  it('a hit keeps what JSON would lose and what aliases share', () => {
    const dir = freshDir();
    const text = 'up: .inf\nnot: .nan\nbase: &b [1]\nsame: *b\n';
    parseYamlCached(text, {}, dir);
    const hit = lookupYaml(text, {}, dir);
    if (!hit.hit) throw new Error('expected a hit');
    const v = hit.value as { up: number; not: number; base: number[]; same: number[] };
    expect(v.up).toBe(Infinity);
    expect(v.not).toBeNaN();
    expect(v.same).toBe(v.base); // as YAML's toJS shares an anchor's value
  });

  it('really serves the stored value on a hit (not a hidden re-parse)', () => {
    const dir = freshDir();
    storeYaml('a: 1\n', {}, { a: 'planted' }, dir);
    expect(parseYamlCached('a: 1\n', {}, dir)).toEqual({ a: 'planted' });
  });

  it('a changed text, or other options, misses', () => {
    const dir = freshDir();
    parseYamlCached('a: 1\n', {}, dir);
    expect(lookupYaml('a: 2\n', {}, dir).hit).toBe(false);
    expect(lookupYaml('a: 1\n', { maxAliasCount: 5 }, dir).hit).toBe(false);
    expect(parseYamlCached('a: 2\n', {}, dir)).toEqual({ a: 2 });
    expect(entries(dir)).toHaveLength(2);
    expect(yamlCacheKey('a: 1\n', { uniqueKeys: true, maxAliasCount: 5 })).toBe(yamlCacheKey('a: 1\n', { maxAliasCount: 5, uniqueKeys: true }));
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['a flipped last byte', (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.from([b[b.length - 1] ^ 0xff])])],
    // still a valid v8 value ('text' → 'TEXT'): only the entry's digest can tell
    ['a changed string', (b: Buffer) => Buffer.from(b.toString('latin1').replace('text', 'TEXT'), 'latin1')],
    ['empty', () => Buffer.alloc(0)],
    ['not an entry at all', () => Buffer.from('{"a": 1}')],
  ])('a corrupt entry (%s) is a miss, parsed again and rewritten', (_name, damage) => {
    const dir = freshDir();
    const text = 'a: { b: [1, 2, 3] }\nc: text\n';
    parseYamlCached(text, {}, dir);
    const [name] = entries(dir);
    const file = path.join(dir, name);
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    expect(lookupYaml(text, {}, dir).hit).toBe(false);
    expect(parseYamlCached(text, {}, dir)).toEqual({ a: { b: [1, 2, 3] }, c: 'text' });
    expect(lookupYaml(text, {}, dir)).toEqual({ hit: true, value: { a: { b: [1, 2, 3] }, c: 'text' } });
  });

  it('an entry that is a directory is unreadable: parsing goes on', () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, `${yamlCacheKey('a: 1\n', {})}.v8`), { recursive: true });
    expect(parseYamlCached('a: 1\n', {}, dir)).toEqual({ a: 1 });
  });

  it('a cache folder that cannot be created falls back to parsing', () => {
    const root = freshDir();
    fs.mkdirSync(path.dirname(root), { recursive: true });
    const blocker = path.join(path.dirname(root), 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const dir = path.join(blocker, 'yaml'); // mkdir fails with ENOTDIR, for root too
    expect(parseYamlCached('a: [1, 2]\n', {}, dir)).toEqual({ a: [1, 2] });
    expect(parseYamlCached('a: [1, 2]\n', {}, dir)).toEqual({ a: [1, 2] });
    expect(lookupYaml('a: [1, 2]\n', {}, dir).hit).toBe(false);
  });

  it('a read-only cache folder falls back to parsing', () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o500);
    try {
      expect(parseYamlCached('a: 1\n', {}, dir)).toEqual({ a: 1 });
      // root ignores permissions; everyone else must have been refused
      if (process.getuid?.() !== 0) expect(entries(dir)).toEqual([]);
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });

  it('a YAML error is not stored and throws as YAML.parse does, with its line', () => {
    const dir = freshDir();
    const text = 'a: 1\nb: [1, 2\nc: 3\n';
    const expected = (() => {
      try {
        YAML.parse(text);
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected YAML.parse to throw');
    })();
    for (let i = 0; i < 2; i++) {
      expect(() => parseYamlCached(text, {}, dir)).toThrow(expected.message);
      expect(expected.message).toMatch(/at line \d+, column \d+/);
    }
    expect(entries(dir)).toEqual([]);
  });

  it('a text with warnings is not stored (the warning is printed on every parse, as before)', () => {
    const dir = freshDir();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const text = '%FOO bar\n---\na: 1\n'; // an unknown directive is a warning
      expect(parseYamlCached(text, {}, dir)).toEqual({ a: 1 });
      expect(parseYamlCached(text, {}, dir)).toEqual({ a: 1 });
      expect(warn).toHaveBeenCalledTimes(2);
      expect(entries(dir)).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('copies are independent: changing a returned value does not reach the next hit', () => {
    const dir = freshDir();
    const text = 'a: { b: [1, 2] }\n';
    const first = parseYamlCached(text, {}, dir) as { a: { b: number[] } };
    first.a.b.push(99);
    const second = parseYamlCached(text, {}, dir) as { a: { b: number[] } };
    expect(second).toEqual({ a: { b: [1, 2] } });
    second.a.b.length = 0;
    expect(parseYamlCached(text, {}, dir)).toEqual({ a: { b: [1, 2] } });
  });

  it('null disables the cache', () => {
    expect(parseYamlCached('a: 1\n', {}, null)).toEqual({ a: 1 });
    expect(lookupYaml('a: 1\n', {}, null).hit).toBe(false);
  });
});

describe('the cache folder', () => {
  it('defaults under node_modules/.cache of the repo; WATCHFLOOR_CACHE_DIR moves it; "off" disables it', () => {
    const repo = path.resolve(import.meta.dirname, '..');
    expect(defaultYamlCacheDir({})).toBe(path.join(repo, 'node_modules', '.cache', 'watchfloor', 'yaml') + path.sep);
    expect(defaultYamlCacheDir({ WATCHFLOOR_CACHE_DIR: '/tmp/x' })).toBe(path.join('/tmp/x', 'yaml'));
    expect(defaultYamlCacheDir({ WATCHFLOOR_CACHE_DIR: 'off' })).toBeNull();
  });

  it('the default folder follows the environment per call', () => {
    const dir = freshDir();
    vi.stubEnv('WATCHFLOOR_CACHE_DIR', path.dirname(dir));
    parseYamlCached('env: 1\n');
    expect(entries(dir)).toHaveLength(1);
    expect(lookupYaml('env: 1\n', {}).hit).toBe(true);
  });

  it('is bounded: past the limit the oldest entries go, down to three quarters', () => {
    const dir = freshDir();
    for (let i = 0; i < 10; i++) {
      storeYaml(`n: ${i}\n`, {}, { n: i }, dir);
      const file = path.join(dir, `${yamlCacheKey(`n: ${i}\n`, {})}.v8`);
      fs.utimesSync(file, 1000 + i, 1000 + i); // distinct ages, oldest first
    }
    fs.writeFileSync(path.join(dir, 'not-ours.txt'), 'kept');
    pruneYamlCache(dir, 8);
    expect(entries(dir)).toHaveLength(6);
    for (let i = 0; i < 10; i++) expect(lookupYaml(`n: ${i}\n`, {}, dir).hit).toBe(i >= 4);
    expect(fs.existsSync(path.join(dir, 'not-ours.txt'))).toBe(true);
  });

  it('a hit counts as a use: the least recently used go first', () => {
    const dir = freshDir();
    for (let i = 0; i < 4; i++) {
      storeYaml(`n: ${i}\n`, {}, { n: i }, dir);
      fs.utimesSync(path.join(dir, `${yamlCacheKey(`n: ${i}\n`, {})}.v8`), 1000 + i, 1000 + i);
    }
    expect(lookupYaml('n: 0\n', {}, dir).hit).toBe(true); // the oldest written, just used
    pruneYamlCache(dir, 3); // keeps 2
    expect([0, 1, 2, 3].map((i) => fs.existsSync(path.join(dir, `${yamlCacheKey(`n: ${i}\n`, {})}.v8`)))).toEqual([true, false, false, true]);
  });

  it('a write prunes by itself once the folder passes the bound', () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { recursive: true });
    const over = MAX_YAML_CACHE_ENTRIES + 20;
    // stale entries past the default bound, all older than the next write
    for (let i = 0; i < over; i++) {
      const file = path.join(dir, `${yamlCacheKey(`old: ${i}\n`, {})}.v8`);
      fs.writeFileSync(file, 'x');
      fs.utimesSync(file, 1000, 1000);
    }
    parseYamlCached('new: 1\n', {}, dir);
    expect(entries(dir).length).toBe(Math.floor((MAX_YAML_CACHE_ENTRIES * 3) / 4));
    expect(lookupYaml('new: 1\n', {}, dir).hit).toBe(true);
  });
});
