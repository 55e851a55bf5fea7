import { describe, expect, it } from 'vitest';
import { alarmText, type AlarmTextKey } from './alarm-text.js';
import { ALARM_PRIORITIES, ALARM_STATES, JOURNAL_KINDS } from '../../../../contracts/alarms.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('alarm texts', () => {
  it('every priority, state and journal kind has words in both languages', () => {
    const keys = [
      ...ALARM_PRIORITIES.map((p) => `priority.${p}`), ...ALARM_STATES.map((s) => `state.${s}`), ...JOURNAL_KINDS.map((k) => `kind.${k}`),
    ] as AlarmTextKey[];
    for (const k of keys) {
      expect(alarmText('en', k), k).not.toBe('');
      expect(alarmText('zh-CN', k), k).not.toBe('');
      expect(alarmText('zh-CN', k), k).not.toBe(alarmText('en', k));
    }
  });

  it('both languages use the same placeholders', () => {
    const keys = ['ackArea', 'flood', 'summary', 'kpi.period', 'j.badTime', 'failed', 'since'] as AlarmTextKey[];
    for (const k of keys) expect(placeholders(alarmText('zh-CN', k)), k).toEqual(placeholders(alarmText('en', k)));
  });

  it('fills placeholders', () => {
    expect(alarmText('en', 'ackArea', { area: 'Pump room B101', n: 2 })).toBe('Acknowledge all in Pump room B101 (2)');
    expect(alarmText('zh-CN', 'ackArea', { area: 'B101 水泵房', n: 2 })).toBe('确认B101 水泵房全部（2）');
  });
});
