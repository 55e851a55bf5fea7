import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair.js';

type R = { unitId: number; n: string };
const reqs = (spec: string) => spec.split(' ').map((s) => ({ unitId: Number(s[0]), n: s }));

/** Runs the scheduler to the end, finishing requests in the order given by `finish` (default FIFO). */
function order(items: R[], maxInFlight: number, perUnit: number): string[][] {
  const s = new FairScheduler(items, { maxInFlight, perUnit });
  const waves: string[][] = [];
  while (s.pending > 0 || s.running > 0) {
    const wave: R[] = [];
    for (let r = s.next(); r; r = s.next()) wave.push(r);
    waves.push(wave.map((r) => r.n));
    for (const r of wave) s.done(r.unitId);
  }
  return waves;
}

describe('FairScheduler', () => {
  it('with one in flight, serves units round-robin', () => {
    expect(order(reqs('1a 1b 1c 2a 3a 3b'), 1, 1).flat()).toEqual(['1a', '2a', '3a', '1b', '3b', '1c']);
  });
  it('fills the pipeline across units, one per unit', () => {
    expect(order(reqs('1a 1b 2a 2b 3a 3b'), 4, 1)).toEqual([['1a', '2a', '3a'], ['1b', '2b', '3b']]);
  });
  it('never exceeds maxInFlight', () => {
    expect(order(reqs('1a 2a 3a 4a 5a'), 2, 1)).toEqual([['1a', '2a'], ['3a', '4a'], ['5a']]);
  });
  it('lets one unit use several slots when perUnit allows', () => {
    expect(order(reqs('1a 1b 1c 1d'), 3, 2)).toEqual([['1a', '1b'], ['1c', '1d']]);
  });
  it('a busy unit does not block the others', () => {
    const s = new FairScheduler(reqs('1a 1b 2a 2b'), { maxInFlight: 4, perUnit: 1 });
    expect(s.next()?.n).toBe('1a');
    expect(s.next()?.n).toBe('2a');
    expect(s.next()).toBeUndefined(); // both units busy
    s.done(2);
    expect(s.next()?.n).toBe('2b'); // unit 1 still waits for its answer
  });
  it('drops a silent unit\'s queued requests and accepts added ones', () => {
    const s = new FairScheduler(reqs('1a 1b 1c 2a'), { maxInFlight: 1, perUnit: 1 });
    expect(s.next()?.n).toBe('1a');
    expect(s.dropUnit(1).map((r) => r.n)).toEqual(['1b', '1c']);
    s.done(1);
    s.add({ unitId: 3, n: '3a' });
    expect(s.next()?.n).toBe('2a');
    s.done(2);
    expect(s.next()?.n).toBe('3a');
    s.done(3);
    expect(s.pending + s.running).toBe(0);
  });
});
