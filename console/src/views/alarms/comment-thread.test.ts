import { describe, expect, it } from 'vitest';
import type { JournalRow } from '../../../../contracts/alarms.js';
import { threadEntries } from './comment-thread.js';

const row = (seq: number, kind: JournalRow['kind'], comment?: string): JournalRow => ({
  seq, ts: seq, alarmId: 'a', ruleId: 'a', pointId: 'p', priority: 'high', area: 'a/b1/r', kind, state: 'acknowledged', user: 'guard', ...(comment !== undefined ? { comment } : {}),
});

describe('threadEntries', () => {
  it('keeps entries with words, oldest first', () => {
    const newestFirst = [row(5, 'comment', 'pump replaced'), row(4, 'clear'), row(3, 'shelve', 'maintenance'), row(2, 'ack', ''), row(1, 'ack', 'on my way')];
    expect(threadEntries(newestFirst).map((r) => [r.seq, r.comment])).toEqual([[1, 'on my way'], [3, 'maintenance'], [5, 'pump replaced']]);
  });

  it('takes off the test tag and drops entries with nothing else', () => {
    const rows = [row(3, 'ack', '[test: drill-1] on site'), row(2, 'clear', '[test: drill-1]'), row(1, 'activate', '[test: drill-1]')];
    expect(threadEntries(rows).map((r) => [r.seq, r.comment])).toEqual([[3, 'on site']]);
  });
});
