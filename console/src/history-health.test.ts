import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '../../contracts/api.js';
import { describeHistoryHealth, formatBytes, type HistoryHealth } from './history-health.js';

const NOW = Date.parse('2026-03-16T02:00:00Z');
const health = (history?: HistoryHealth): Pick<HealthResponse, 'components'> => ({ components: history ? { history: { ok: true, ...history } } : {} });
const fine: HistoryHealth = { ok: true, backend: 'influxdb', connected: true, spooledBytes: 0, deadLetters: 0, lastWriteTs: NOW - 3000, lastError: null };

describe('history health in the footer', () => {
  it.each([
    ['all well', fine, 'en', 'ok', 'History · OK · last write 3 s ago'],
    ['all well, zh-CN', fine, 'zh-CN', 'ok', '历史数据 · 正常 · 最近写入 3 秒前'],
    ['database gone, spooling', { ...fine, ok: false, connected: false, spooledBytes: 3 * 1024 * 1024, lastWriteTs: NOW - 120_000 }, 'en', 'fault', 'History · database disconnected · 3.0 MB spooled · last write 2 min ago'],
    ['back, still replaying the spool', { ...fine, spooledBytes: 1536 }, 'en', 'warn', 'History · 1.5 KB spooled · last write 3 s ago'],
    ['dead letters', { ...fine, ok: false, deadLetters: 2 }, 'en', 'fault', 'History · 2 dead letters · last write 3 s ago'],
    ['dead letters, zh-CN', { ...fine, deadLetters: 2 }, 'zh-CN', 'fault', '历史数据 · 2 条死信 · 最近写入 3 秒前'],
    ['never written yet', { ...fine, lastWriteTs: null }, 'en', 'ok', 'History · OK · last write never'],
    ['not ok for another reason', { ...fine, ok: false }, 'en', 'warn', 'History · degraded · last write 3 s ago'],
  ] as const)('%s', (_n, st, locale, level, text) => {
    const item = describeHistoryHealth(health(st), NOW, locale);
    expect(item.level).toBe(level);
    expect(item.text).toBe(text);
  });

  it('the tooltip carries every figure', () => {
    const item = describeHistoryHealth(health({ ...fine, connected: false, spooledBytes: 2048, deadLetters: 1, lastError: 'ECONNREFUSED' }), NOW, 'en');
    expect(item.title.split('\n')).toEqual([
      'Backend: influxdb',
      'Database NOT connected: samples go to the disk spool and are replayed later',
      'Spooled on disk: 2.0 KB',
      'Dead letters (rejected batches): 1',
      expect.stringMatching(/^Last successful write: /),
      'Last error: ECONNREFUSED',
    ]);
  });

  it('a hub without history, and a failed request, say so instead of looking fine', () => {
    expect(describeHistoryHealth(health(), NOW, 'en')).toMatchObject({ level: 'unknown', text: 'History · off' });
    expect(describeHistoryHealth(undefined, NOW, 'en', 'hub unreachable')).toMatchObject({ level: 'unknown', text: 'History · status unknown', title: 'Health request failed: hub unreachable' });
  });

  it.each([[0, '0 B'], [1023, '1,023 B'], [1024, '1.0 KB'], [5 * 1024 ** 3, '5.0 GB']])('formatBytes(%d) → %s', (n, want) => {
    expect(formatBytes(n, 'en')).toBe(want);
  });
});
