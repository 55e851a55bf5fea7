import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareFiles, hashFiles, listFiles, MANIFEST_FILE, sha256File, verifyEvidence } from './manifest.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const f = (p: string, sha256: string, bytes = 3) => ({ path: p, sha256, bytes });

describe('compareFiles', () => {
  it.each([
    ['identical', [f('a', '1')], [f('a', '1')], []],
    ['missing', [f('a', '1'), f('b', '2')], [f('a', '1')], [{ path: 'b', problem: 'missing' }]],
    ['changed', [f('a', '1')], [f('a', '9')], [{ path: 'a', problem: 'changed', detail: 'sha256 9 ≠ manifest 1' }]],
    ['size', [f('a', '1', 3)], [f('a', '1', 4)], [{ path: 'a', problem: 'size', detail: '4 ≠ 3 bytes' }]],
    ['extra', [f('a', '1')], [f('a', '1'), f('x', '5')], [{ path: 'x', problem: 'extra' }]],
  ] as const)('%s', (_n, listed, found, problems) => {
    expect(compareFiles([...listed], [...found])).toEqual(problems);
  });
});

describe('hashing a folder', () => {
  it('hashes SHA-256 (known vector), lists nested files, leaves the manifest out', async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'abc.txt'), 'abc');
    fs.mkdirSync(path.join(d, 'sub'));
    fs.writeFileSync(path.join(d, 'sub', 'z.bin'), Buffer.alloc(0));
    fs.writeFileSync(path.join(d, MANIFEST_FILE), '{}');
    expect(await sha256File(path.join(d, 'abc.txt'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(listFiles(d)).toEqual(['abc.txt', 'sub/z.bin']);
    expect(await hashFiles(d)).toEqual([
      { path: 'abc.txt', bytes: 3, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
      { path: 'sub/z.bin', bytes: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    ]);
  });

  it('verifies a good export and catches a tampered, a removed and an added file', async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'clip.mp4'), 'video');
    fs.writeFileSync(path.join(d, 'incident.json'), '{}');
    const manifest = { format: 'watchfloor-evidence/1', id: 'ev-1', exportedBy: 'sup', exportedAt: 'now', reason: 'r', clips: [], files: await hashFiles(d) };
    fs.writeFileSync(path.join(d, MANIFEST_FILE), JSON.stringify(manifest));
    expect((await verifyEvidence(d)).problems).toEqual([]);
    fs.writeFileSync(path.join(d, 'clip.mp4'), 'vidEo');
    fs.rmSync(path.join(d, 'incident.json'));
    fs.writeFileSync(path.join(d, 'note.txt'), 'x');
    expect((await verifyEvidence(d)).problems.map((p) => [p.path, p.problem])).toEqual([['clip.mp4', 'changed'], ['incident.json', 'missing'], ['note.txt', 'extra']]);
  });

  it('a folder without a manifest is a problem, not a crash', async () => {
    expect((await verifyEvidence(tmp())).problems).toEqual([expect.objectContaining({ path: MANIFEST_FILE, problem: 'manifest' })]);
  });
});
