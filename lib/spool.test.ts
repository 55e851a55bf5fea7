import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'watchfloor-spool-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('spool', () => {
  it('replays in order across segments, and forgets what was committed', () => {
    const d = dir();
    const spool = new Spool(d, 64);
    for (let i = 0; i < 10; i++) spool.append([`m,t=会 v=${i} ${i}`, `m v=${i}.5 ${i}`]);
    expect(readdirSync(d).length).toBeGreaterThan(1);
    const seen: string[] = [];
    for (let c = spool.nextChunk(3); c; c = spool.nextChunk(3)) {
      seen.push(...c.lines);
      c.commit();
    }
    expect(seen).toHaveLength(20);
    expect(seen[0]).toBe('m,t=会 v=0 0');
    expect(seen[19]).toBe('m v=9.5 9');
    expect(spool.bytes).toBe(0);
    expect(spool.isEmpty).toBe(true);
    expect(readdirSync(d)).toEqual([]);
  });

  it('survives a restart: uncommitted lines come back, committed ones do not, torn tails are ignored', () => {
    const d = dir();
    const a = new Spool(d);
    a.append(['l1 1', 'l2 2', 'l3 3']);
    const chunk = a.nextChunk(2)!;
    chunk.commit();
    a.append(['l4 4']);
    a.close();
    // a crash mid-append leaves half a line
    const last = readdirSync(d).filter((f) => f.endsWith('.lp')).sort().at(-1)!;
    appendFileSync(join(d, last), 'torn-li');
    const b = new Spool(d);
    const lines: string[] = [];
    for (let c = b.nextChunk(100); c; c = b.nextChunk(100)) {
      lines.push(...c.lines);
      c.commit();
    }
    expect(lines).toEqual(['l3 3', 'l4 4']);
    expect(b.bytes).toBe(0);
  });

  it('an uncommitted chunk is offered again', () => {
    const s = new Spool(dir());
    s.append(['a 1', 'b 2']);
    expect(s.nextChunk(1)!.lines).toEqual(['a 1']);
    expect(s.nextChunk(1)!.lines).toEqual(['a 1']);
  });

  it('syncs in the background: synced() resolves, and closing during a sync keeps every line', async () => {
    const d = dir();
    const s = new Spool(d, 64);
    for (let i = 0; i < 20; i++) s.append([`line-${i} ${i}`]); // several segments, each closed while its sync may run
    s.close();
    await s.synced();
    const again = new Spool(d);
    const lines: string[] = [];
    for (let c = again.nextChunk(100); c; c = again.nextChunk(100)) {
      lines.push(...c.lines);
      c.commit();
    }
    expect(lines).toEqual(Array.from({ length: 20 }, (_, i) => `line-${i} ${i}`));
    await again.synced();
  });
});
