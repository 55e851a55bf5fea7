import { describe, expect, it } from 'vitest';
import type { JournalRow } from '../../../../contracts/alarms.js';
import { csvHref, filterParams, pageParams, parseLocalDateTime, takePage, toLocalDateTime, type PageCursor } from './journal-query.js';

function row(seq: number, ts: number): JournalRow {
  return { seq, ts, alarmId: 'a', ruleId: 'a', pointId: 'p', priority: 'high', area: 'a/b1/r', kind: 'activate', state: 'unacknowledged', user: 'system' };
}

/** What the hub does with `to` and `limit`: rows at or before `to`, newest (highest seq) first. */
function hub(all: JournalRow[], q: URLSearchParams): JournalRow[] {
  const to = q.has('to') ? Number(q.get('to')) : Infinity;
  return all.filter((r) => r.ts <= to).sort((a, b) => b.seq - a.seq).slice(0, Number(q.get('limit')));
}

function pageThrough(all: JournalRow[], pageSize: number): number[][] {
  const pages: number[][] = [];
  let cursor: PageCursor | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const taken = takePage(hub(all, pageParams({}, cursor, pageSize)), cursor, pageSize);
    pages.push(taken.rows.map((r) => r.seq));
    if (!taken.hasMore) return pages;
    cursor = taken.next;
  }
  throw new Error('paging did not end');
}

describe('journal paging', () => {
  it('walks distinct times page by page, newest first, every row once', () => {
    const all = Array.from({ length: 7 }, (_, i) => row(i + 1, 1000 + i));
    expect(pageThrough(all, 3)).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
  });

  it('does not repeat or lose rows sharing one millisecond across pages', () => {
    // 8 rows in the same ms, then 3 older: the pages cut through the shared millisecond twice.
    const all = [...[1, 2, 3].map((s) => row(s, 500)), ...Array.from({ length: 8 }, (_, i) => row(4 + i, 900))];
    const pages = pageThrough(all, 3);
    expect(pages).toEqual([[11, 10, 9], [8, 7, 6], [5, 4, 3], [2, 1]]);
  });

  it('an exact multiple of the page size has no empty last page', () => {
    const all = Array.from({ length: 6 }, (_, i) => row(i + 1, 1000 + i));
    expect(pageThrough(all, 3)).toEqual([[6, 5, 4], [3, 2, 1]]);
  });

  it('an empty journal is one empty page', () => {
    expect(pageThrough([], 3)).toEqual([[]]);
  });

  it('keeps the filter\'s own upper bound when it is earlier than the cursor', () => {
    const q = pageParams({ to: 700 }, { to: 900, lastSeq: 10, seenAtTo: 2 }, 50);
    expect(q.get('to')).toBe('700');
    expect(q.get('limit')).toBe('53');
  });
});

describe('journal filters', () => {
  it('puts only the set filters in the query', () => {
    expect(filterParams({ from: 1, priority: 'critical', area: 'a/b1', point: ' hq/a/b1/x ', state: undefined }).toString())
      .toBe('from=1&priority=critical&area=a%2Fb1&point=hq%2Fa%2Fb1%2Fx');
  });

  it('exports everything the filter selects as CSV', () => {
    expect(csvHref({ kind: 'ack', area: 'a' })).toBe('/api/alarms/journal?kind=ack&area=a&limit=100000&format=csv');
  });

  it.each([
    ['', undefined],
    ['2025-03-01T08:30', new Date(2025, 2, 1, 8, 30).getTime()],
    ['2025-03-01T08:30:15', new Date(2025, 2, 1, 8, 30, 15).getTime()],
    ['2025-02-31T08:30', Number.NaN],
    ['yesterday', Number.NaN],
  ])('datetime-local %j', (value, expected) => {
    expect(parseLocalDateTime(value)).toEqual(expected);
  });

  it('round-trips a time to the input value (minutes)', () => {
    const ts = new Date(2025, 10, 5, 7, 4).getTime();
    expect(toLocalDateTime(ts)).toBe('2025-11-05T07:04');
    expect(parseLocalDateTime(toLocalDateTime(ts))).toBe(ts);
  });
});
