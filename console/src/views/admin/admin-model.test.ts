import { describe, expect, it } from 'vitest';
import { dayBars, editableRule, firings, parseRuleText } from './admin-model.js';

describe('admin view model', () => {
  it('day bars are sorted and scaled to the busiest day', () => {
    expect(dayBars({ '2026-01-03': 2, '2026-01-01': 4 })).toEqual([
      { day: '2026-01-01', count: 4, share: 1 },
      { day: '2026-01-03', count: 2, share: 0.5 },
    ]);
    expect(dayBars({})).toEqual([]);
  });

  it('firings of every alarm of a rule, newest first, capped', () => {
    const alarms = [
      { id: 'r.h', eventsTruncated: false, events: [{ ts: 1, kind: 'activate' as const, value: 1 }, { ts: 5, kind: 'clear' as const, value: 0 }] },
      { id: 'r.hh', eventsTruncated: false, events: [{ ts: 3, kind: 'activate' as const, value: 2 }] },
    ];
    expect(firings({ alarms })).toEqual([{ ts: 5, alarm: 'r.h', kind: 'clear' }, { ts: 3, alarm: 'r.hh', kind: 'activate' }, { ts: 1, alarm: 'r.h', kind: 'activate' }]);
    expect(firings({ alarms }, 1)).toHaveLength(1);
  });

  const texts: Array<[string, boolean, string?]> = [
    ['{"id":"a","type":"limit"}', true],
    ['[1,2]', false, 'a rule is an object'],
    ['null', false, 'a rule is an object'],
    ['{"id":', false, 'JSON'],
  ];
  for (const [text, ok, message] of texts) {
    it(`parses ${text}`, () => {
      const r = parseRuleText(text);
      expect(r.ok).toBe(ok);
      if (!r.ok && message) expect(r.message).toContain(message);
    });
  }

  it('the editor never carries the disabled flag', () => {
    expect(editableRule({ id: 'a', type: 'state', point: 'p', disabled: true })).toEqual({ id: 'a', type: 'state', point: 'p' });
  });
});
