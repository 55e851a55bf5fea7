import { describe, expect, it } from 'vitest';
import { BEEP_PATTERNS, patternFor, readMuted, SOUND_STORAGE_KEY, writeMuted } from './alarm-sound.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('alarm sound', () => {
  it.each([
    [['low', 'critical', 'high'], BEEP_PATTERNS.critical],
    [['high', 'medium'], BEEP_PATTERNS.high],
    [['medium', 'low'], null],
    [[], null],
  ] as const)('%j → the most urgent pattern', (priorities, pattern) => expect(patternFor(priorities)).toBe(pattern));

  it('patterns are short and do not overlap', () => {
    for (const pattern of Object.values(BEEP_PATTERNS)) {
      for (let i = 1; i < pattern.length; i++) expect(pattern[i].startS).toBeGreaterThan(pattern[i - 1].startS + pattern[i - 1].durationS);
      const last = pattern.at(-1)!;
      expect(last.startS + last.durationS).toBeLessThanOrEqual(1);
    }
  });

  it('is on unless this console muted it, and remembers the choice', () => {
    const s = memoryStorage();
    expect(readMuted(s)).toBe(false);
    writeMuted(s, true);
    expect(s.data.get(SOUND_STORAGE_KEY)).toBe('muted');
    expect(readMuted(s)).toBe(true);
    writeMuted(s, false);
    expect(readMuted(s)).toBe(false);
    expect(readMuted(undefined)).toBe(false);
    // The banner's own values and an older 'off' read alike.
    expect(readMuted(memoryStorage({ [SOUND_STORAGE_KEY]: 'off' }))).toBe(true);
    expect(readMuted(memoryStorage({ [SOUND_STORAGE_KEY]: 'on' }))).toBe(false);
  });

  it('survives storage that throws (privacy mode)', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(readMuted(broken)).toBe(false);
    expect(() => writeMuted(broken, true)).not.toThrow();
  });
});
