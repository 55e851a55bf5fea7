// Schema of config/alarms.yaml. Pure validation (zod, strict everywhere); cross-checks against
// the point list live in rules.ts (checkAlarmRules), compilation into alarm definitions too.
import { z } from 'zod';
import { ALARM_PRIORITIES } from '../../contracts/alarms.js';
import { ID_SEGMENT, POINT_ID } from '../../contracts/point.js';

const id = z.string().regex(ID_SEGMENT, 'must be lowercase letters, digits and dashes, starting with a letter or digit');
const pointId = z.string().regex(POINT_ID, 'must be a point id site/building/floor/room/equipment/point');
const priority = z.enum(ALARM_PRIORITIES);
const seconds = z.number().min(0, 'must be ≥ 0').max(86_400, 'must be ≤ 86400 s');
const minutes = z.number().min(0, 'must be ≥ 0').max(10_080, 'must be ≤ 10080 min (a week)');
const scalar = z.union([z.boolean(), z.number(), z.string()]);

export const localizedMessage = z.strictObject({
  en: z.string().min(1, 'must not be empty'),
  'zh-CN': z.string().min(1, 'must not be empty'),
});

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00..24:00)');

/** A weekly window in the site time zone; `to` before `from` wraps past midnight. */
const timeWindow = z.strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1), from: hhmm, to: hhmm });

/**
 * A zone group's schedule (config/schedules.yaml `groups[].id`): `occupied` while the schedule
 * driving the group is inside a period (holidays and make-up working days included), `unoccupied`
 * otherwise. Evaluated by the control module (hub/control/schedule-condition.ts).
 */
const scheduleCondition = z.strictObject({
  type: z.literal('schedule'),
  group: id,
  when: z.enum(['occupied', 'unoccupied']),
});
export type ScheduleCondition = z.infer<typeof scheduleCondition>;

/**
 * Conditions are pluggable (conditions.ts holds the evaluators). Built in: a weekly time window,
 * another point's value, and a zone group's schedule (occupied / unoccupied).
 */
export const conditionSchema = z.discriminatedUnion('type', [
  scheduleCondition,
  z.strictObject({
    type: z.literal('time-window'),
    window: id,
    /** inside (default): true while inside the window; outside: true while outside it. */
    match: z.enum(['inside', 'outside']).default('inside'),
  }),
  z
    .strictObject({
      type: z.literal('point'),
      point: pointId,
      equals: scalar.optional(),
      notEquals: scalar.optional(),
      above: z.number().optional(),
      below: z.number().optional(),
    })
    .refine(
      (c) => [c.equals, c.notEquals, c.above, c.below].filter((x) => x !== undefined).length === 1,
      'give exactly one of equals, notEquals, above, below',
    ),
]);
export type Condition = z.infer<typeof conditionSchema>;

/** Actions run when an alarm activates; handlers are registered by other subsystems. */
export const actionSchema = z.discriminatedUnion('type', [
  // camera: a camera id, or `nearest` = the streaming camera the site map says sees the alarm's place
  // (hub/sitemap); aim: turn a PTZ camera onto it first (preset that covers it, else absolute pan/tilt).
  z.strictObject({ type: z.literal('camera-snapshot'), camera: z.string().min(1), aim: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('broadcast'),
    zones: z.array(z.string().min(1)).min(1),
    message: localizedMessage.optional(),
    clip: z.string().min(1).optional(),
  }),
]);
export type AlarmAction = z.infer<typeof actionSchema>;
export const ACTION_TYPES = ['camera-snapshot', 'broadcast'] as const;

/** Options every rule (and every limit level) may set; defaults come from the file's `defaults`. */
const timing = {
  onDelayS: seconds.optional(),
  offDelayS: seconds.optional(),
};

const common = {
  id,
  point: pointId,
  priority: priority.optional(),
  message: localizedMessage,
  /** building/floor/room; default from the point id. */
  area: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/, 'must be building[/floor[/room]]').optional(),
  ...timing,
  latching: z.boolean().optional(),
  /** An acknowledged alarm still active after this many minutes is annunciated again; 0 = never. */
  reAlarmMin: minutes.optional(),
  maxShelveMin: z.number().positive('must be > 0').max(10_080).optional(),
  /** Critical/high only: unacknowledged this long notifies supervisors; 0 = never. */
  escalateAfterMin: minutes.optional(),
  /** Gating: the alarm is only evaluated while all hold (otherwise it is normal). */
  when: z.array(conditionSchema).optional(),
  /** Suppression by design: while any holds, the alarm is suppressed. */
  suppressWhen: z.array(conditionSchema).optional(),
  actions: z.array(actionSchema).optional(),
  /** A disabled rule stays in the file (and is still checked) but raises nothing; the console's rule editor sets it. */
  disabled: z.boolean().optional(),
};

const limitLevel = z.strictObject({
  value: z.number(),
  deadband: z.number().min(0).optional(),
  priority: priority.optional(),
  message: localizedMessage.optional(),
  ...timing,
});

export const LIMIT_LEVELS = { highHigh: 'hh', high: 'h', low: 'l', lowLow: 'll' } as const;
export type LimitLevel = keyof typeof LIMIT_LEVELS;

const limitRule = z
  .strictObject({
    ...common,
    type: z.literal('limit'),
    deadband: z.number().min(0).optional(),
    limits: z
      .strictObject({ highHigh: limitLevel.optional(), high: limitLevel.optional(), low: limitLevel.optional(), lowLow: limitLevel.optional() })
      .refine((l) => Object.values(l).some((x) => x !== undefined), 'give at least one of highHigh, high, low, lowLow'),
  })
  .superRefine((r, ctx) => {
    const { highHigh, high, low, lowLow } = r.limits;
    const order: Array<[string, number | undefined]> = [['lowLow', lowLow?.value], ['low', low?.value], ['high', high?.value], ['highHigh', highHigh?.value]];
    const given = order.filter((o): o is [string, number] => o[1] !== undefined);
    for (let i = 1; i < given.length; i++) {
      if (given[i][1] <= given[i - 1][1]) {
        ctx.addIssue({ code: 'custom', path: ['limits', given[i][0], 'value'], message: `must be above ${given[i - 1][0]} (${given[i - 1][1]})` });
      }
    }
  });

const stateRule = z.strictObject({
  ...common,
  type: z.literal('state'),
  /** Value(s) meaning "in alarm": true for a binary, state numbers for a multistate. */
  activeWhen: z.union([scalar, z.array(scalar).min(1)]),
});

const rateRule = z
  .strictObject({
    ...common,
    type: z.literal('rate'),
    /** Units per minute between two consecutive good samples. */
    maxRisePerMin: z.number().positive().optional(),
    maxFallPerMin: z.number().positive().optional(),
  })
  .refine((r) => r.maxRisePerMin !== undefined || r.maxFallPerMin !== undefined, 'give maxRisePerMin and/or maxFallPerMin');

const deviationRule = z.strictObject({
  ...common,
  type: z.literal('deviation'),
  /** The setpoint point the value is compared with. */
  setpoint: pointId,
  maxDeviation: z.number().positive(),
  deadband: z.number().min(0).optional(),
});

const commFailRule = z.strictObject({
  ...common,
  type: z.literal('comm-fail'),
  /** Quality `comm_fail` for longer than this raises the alarm. */
  afterS: seconds,
});

export const ruleSchema = z.discriminatedUnion('type', [limitRule, stateRule, rateRule, deviationRule, commFailRule]);
export type AlarmRule = z.infer<typeof ruleSchema>;

export const alarmsFileSchema = z.strictObject({
  defaults: z
    .strictObject({
      priority: priority.default('medium'),
      maxShelveMin: z.number().positive().max(10_080).default(480),
      reAlarmMin: minutes.default(0),
      escalateAfterMin: z.strictObject({ critical: minutes.default(5), high: minutes.default(15) }).default({ critical: 5, high: 15 }),
      /** For the KPI "alarms per 10 minutes per operator position". */
      operatorPositions: z.number().int().positive().default(1),
    })
    .default({ priority: 'medium', maxShelveMin: 480, reAlarmMin: 0, escalateAfterMin: { critical: 5, high: 15 }, operatorPositions: 1 }),
  timeWindows: z.record(id, z.array(timeWindow).min(1)).default({}),
  rules: z.array(ruleSchema).default([]),
});
export type AlarmsFile = z.infer<typeof alarmsFileSchema>;
export type TimeWindow = z.infer<typeof timeWindow>;
