// View model of the admin page: pure functions from hub answers to what the page shows, so the
// render stays thin and these are table-tested (admin-model.test.ts).

/** A rule as GET /api/alarm-rules returns it (the YAML as written). */
export interface RuleRow {
  id: string;
  type: string;
  point: string;
  priority?: string;
  disabled?: boolean;
  [k: string]: unknown;
}

/** The parts of POST /api/alarm-rules/backtest the page shows. */
export interface BacktestAnswer {
  activations: number;
  chatteringActivations: number;
  chatter: { count: number; windowMs: number };
  perDay: Record<string, number>;
  alarms: Array<{ id: string; events: Array<{ ts: number; kind: 'activate' | 'clear'; value: unknown }>; eventsTruncated: boolean }>;
  notes: string[];
  resolution: string;
  rows: number;
  ms: number;
}

export interface DayBar { day: string; count: number; /** 0..1 of the busiest day */ share: number }

/** One bar per day of the range that had activations, oldest first, scaled to the busiest. */
export function dayBars(perDay: Record<string, number>): DayBar[] {
  const days = Object.keys(perDay).sort();
  const max = Math.max(1, ...days.map((d) => perDay[d]));
  return days.map((day) => ({ day, count: perDay[day], share: perDay[day] / max }));
}

/** Activation events of every alarm of the rule, newest first, at most `limit`. */
export function firings(answer: Pick<BacktestAnswer, 'alarms'>, limit = 50): Array<{ ts: number; alarm: string; kind: 'activate' | 'clear' }> {
  return answer.alarms
    .flatMap((a) => a.events.map((e) => ({ ts: e.ts, alarm: a.id, kind: e.kind })))
    .sort((x, y) => y.ts - x.ts)
    .slice(0, limit);
}

/** A template for a new rule on a point, for the editor. */
export function newRuleTemplate(point = 'site/building/floor/room/equipment/point'): Record<string, unknown> {
  return { id: 'new-rule', type: 'limit', point, priority: 'medium', limits: { high: { value: 0 } }, message: { en: 'Describe the alarm', 'zh-CN': '报警说明' } };
}

/** Parses the editor's text; the error message names what is wrong. */
export function parseRuleText(text: string): { ok: true; rule: Record<string, unknown> } | { ok: false; message: string } {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: 'a rule is an object { "id": …, "type": …, "point": … }' };
    return { ok: true, rule: v as Record<string, unknown> };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** The rule without `disabled` (the editor edits the rule; enabling is its own action). */
export function editableRule(rule: RuleRow): Record<string, unknown> {
  const { disabled: _d, ...rest } = rule;
  return rest;
}
