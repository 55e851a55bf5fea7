// Schemas of config/schedules.yaml and of the schedule document the editor API reads and writes.
import { z } from 'zod';

const text = z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const time = z.string().regex(TIME_RE, 'must be HH:MM (00:00..24:00)');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const pointId = z.string().min(1);

export const MODES = ['occupied', 'standby', 'unoccupied'] as const;
export type Mode = (typeof MODES)[number];

export const periodSchema = z.strictObject({
  start: time,
  end: time,
  mode: z.enum(['occupied', 'standby']),
});
export type Period = z.infer<typeof periodSchema>;

const day = z.array(periodSchema).max(12);

export const scheduleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  name: text,
  groups: z.array(z.string().min(1)).min(1),
  /** Setpoint (°C) and AHU fan command per mode. */
  modes: z.strictObject({
    occupied: z.strictObject({ setpoint: z.number(), fan: z.boolean().default(true) }),
    standby: z.strictObject({ setpoint: z.number(), fan: z.boolean().default(true) }),
    unoccupied: z.strictObject({ setpoint: z.number(), fan: z.boolean().default(false) }),
  }),
  week: z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  /** Periods on public holidays (default: none → unoccupied all day). */
  holiday: day.default([]),
  /** Which weekday's periods a make-up working day (调休上班) uses. */
  makeUpAs: z.enum(['mon', 'tue', 'wed', 'thu', 'fri']).default('mon'),
  /** One-off days: replace that day's periods (a Saturday meeting, a closed day). */
  exceptions: z.array(z.strictObject({ date, periods: day, note: z.string().max(200).optional() })).default([]),
  optimalStart: z.strictObject({
    enabled: z.boolean().default(true),
    maxLeadMin: z.number().int().min(0).max(480).default(120),
    /** °C per hour used until a rate has been learned from the zone. */
    defaultRatePerHour: z.number().positive().max(20).default(2),
  }).default({ enabled: true, maxLeadMin: 120, defaultRatePerHour: 2 }),
});
export type Schedule = z.infer<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;

export const zoneSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  setpoint: pointId,
  temperature: pointId.optional(),
  occupancyMode: pointId.optional(),
  limits: z.strictObject({ min: z.number(), max: z.number() }),
  /** Electrical load while conditioned (kW), for the savings estimate. */
  loadKw: z.number().nonnegative().default(2),
});
export type Zone = z.infer<typeof zoneSchema>;

export const zoneGroupSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: text,
  zones: z.array(zoneSchema).min(1),
  /** AHU enable points commanded with the mode's `fan`. */
  fans: z.array(pointId).default([]),
});
export type ZoneGroup = z.infer<typeof zoneGroupSchema>;

export const calendarSchema = z.strictObject({
  source: z.string().optional(),
  holidays: z.array(z.strictObject({ from: date, to: date.optional(), name: z.string().min(1) })),
  workdays: z.array(z.strictObject({ date, name: z.string().min(1) })),
});

/** The versioned part the editor changes. */
export const scheduleDocSchema = z.strictObject({
  schedules: z.array(scheduleSchema),
});
export type ScheduleDoc = z.infer<typeof scheduleDocSchema>;

export const schedulesFileSchema = z.strictObject({
  priority: z.strictObject({
    defaultManualExpiryMin: z.number().positive().max(10080).default(120),
    levelsByRole: z.record(z.string(), z.array(z.tuple([z.number().int().min(1).max(16), z.number().int().min(1).max(16)]))).optional(),
  }).default({ defaultManualExpiryMin: 120 }),
  engine: z.strictObject({
    tickMs: z.number().int().min(100).default(30_000),
    level: z.number().int().min(14).max(16).default(15),
  }).default({ tickMs: 30_000, level: 15 }),
  calendar: calendarSchema,
  groups: z.array(zoneGroupSchema),
  schedules: z.array(scheduleSchema),
});
export type SchedulesFile = z.infer<typeof schedulesFileSchema>;
