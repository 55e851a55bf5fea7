// The soak's end-of-run verdicts (pure): each check passes and fails where it should.
import { describe, expect, it } from 'vitest';
import { soakChecks } from './testrun-soak.js';

const base = {
  rss0: 400 * 2 ** 20, rss1: 420 * 2 ** 20, ingested: 1000, written: 990, queued: 10, deadLetters: 0,
  journalRows: 120, activations: 40, journalBytes: 1_600_000, faults: 8, scale: 60, kpi: { per10MinAvg: 4, per10MinMax: 8 },
};
const verdicts = (over: Partial<typeof base>) => Object.fromEntries(soakChecks({ ...base, ...over }).map((c) => [c.name, c.ok]));

describe('soakChecks', () => {
  it('a healthy run passes every check (4 alarms per 10 min of hub time is 0.07 per 10 min of site time at 60×)', () => {
    expect(Object.values(verdicts({})).every(Boolean)).toBe(true);
  });
  it.each<[string, Partial<typeof base>, string]>([
    ['RSS grew 12 %', { rss1: 448 * 2 ** 20 }, 'RSS growth ≤ 10%'],
    ['a sample missing', { written: 989 }, 'no samples lost'],
    ['a dead letter', { deadLetters: 1 }, 'no samples lost'],
    ['journal entries pile up per activation', { journalRows: 400 }, 'journal: ≤ 8 entries per activation'],
    ['too many alarms for the site', { kpi: { per10MinAvg: 61, per10MinMax: 8 } }, 'EEMUA: ≤ 1 alarm / 10 min of site time on average'],
    ['real time, 1× scale: 4 per 10 min is a flood', { scale: 1 }, 'EEMUA: ≤ 1 alarm / 10 min of site time on average'],
    ['a burst', { kpi: { per10MinAvg: 1, per10MinMax: 11 } }, 'EEMUA: ≤ 10 alarms in the busiest 10 min'],
  ])('%s fails only "%s"', (_name, over, failing) => {
    const v = verdicts(over);
    expect(Object.entries(v).filter(([, ok]) => !ok).map(([n]) => n)).toEqual([failing]);
  });
});
