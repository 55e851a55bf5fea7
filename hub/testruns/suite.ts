// The test-run file format (testruns/*.yaml, documented in docs/testruns.md): steps that inject,
// wait, act as a user and expect, with time limits. Parsed with errors that name the file, the
// step and the field. Pure.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ALARM_PRIORITIES, ALARM_STATES } from '../../contracts/alarms.js';
import { FAULT_KINDS } from '../../contracts/testruns.js';
import { parseDuration } from '../../contracts/duration.js';

export { parseDuration };

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseDuration(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const pointId = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){5}$/, 'must be a point id site/building/floor/room/equipment/point');
const value = z.union([z.number(), z.boolean(), z.string()]);

export const expectationSchema = z.union([
  z.strictObject({
    alarm: z.strictObject({
      id: z.string().min(1),
      priority: z.enum(ALARM_PRIORITIES).optional(),
      state: z.union([z.enum(ALARM_STATES), z.array(z.enum(ALARM_STATES))]).optional(),
      active: z.boolean().optional(),
      /** The alarm must carry the test tag (default): a test never passes on a real event. */
      test: z.boolean().default(true),
      /** A rule that only alarms outside office hours (Mon–Fri 08:00–18:00, site time): inside them, expect no alarm. */
      afterHoursOnly: z.boolean().optional(),
    }),
  }),
  z.strictObject({ noAlarm: z.strictObject({ id: z.string().min(1) }) }),
  z.strictObject({ notification: z.strictObject({ user: z.string().optional(), channel: z.string().optional(), status: z.string().optional() }) }),
  z.strictObject({ pa: z.strictObject({ zone: z.string().min(1) }) }),
  z.strictObject({ snapshot: z.strictObject({ camera: z.string().min(1) }) }),
  z.strictObject({ workorder: z.strictObject({ alarm: z.string().min(1) }) }),
  z.strictObject({ history: z.strictObject({ point: pointId, minSamples: z.number().int().min(1) }) }),
  z.strictObject({ point: z.strictObject({ id: pointId, quality: z.enum(['good', 'uncertain', 'bad', 'comm_fail', 'stale']).optional(), value: value.optional(), min: z.number().optional(), max: z.number().optional() }) }),
]);
export type Expectation = z.infer<typeof expectationSchema>;

const faultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  point: pointId.optional(),
  connection: z.string().optional(),
  camera: z.string().optional(),
  value: z.union([z.number(), z.boolean()]).optional(),
  to: z.number().optional(),
  rampS: z.number().positive().optional(),
  amplitude: z.number().positive().optional(),
  periodS: z.number().positive().optional(),
  durationS: z.number().positive().optional(),
});

const actSchema = z
  .strictObject({
    as: z.string().min(1).optional(),
    ack: z.string().min(1).optional(),
    write: z.strictObject({ point: pointId, value: z.union([z.number(), z.boolean(), z.null()]) }).optional(),
    broadcast: z.strictObject({ zones: z.array(z.string()).min(1), message: z.string().optional(), tts: z.string().optional() }).optional(),
    workorder: z.strictObject({ fromAlarm: z.string().min(1) }).optional(),
    /** Releases the operator override (level 8) a `write` left. */
    release: pointId.optional(),
  })
  .refine((a) => [a.ack, a.write, a.broadcast, a.workorder, a.release].filter((x) => x !== undefined).length === 1, { message: 'an act needs exactly one of ack, write, broadcast, workorder, release' });

const STEP_BRANCHES = {
  inject: z.strictObject({ inject: faultSchema, name: z.string().min(1).optional() }),
  clear: z.strictObject({ clear: z.string().min(1) }),
  scenario: z.strictObject({ scenario: z.strictObject({ name: z.string().min(1), timeScale: z.number().positive().max(1000).optional() }) }),
  wait: z.strictObject({ wait: duration }),
  act: z.strictObject({ act: actSchema }),
  expect: z.strictObject({ expect: expectationSchema.array().min(1).or(expectationSchema.transform((e) => [e])), within: duration, name: z.string().optional() }),
  screenshot: z.strictObject({ screenshot: z.strictObject({ route: z.string().regex(/^#\//, 'must be a console route like #/alarms'), name: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes') }) }),
};
export const stepSchema = z.union([STEP_BRANCHES.inject, STEP_BRANCHES.clear, STEP_BRANCHES.scenario, STEP_BRANCHES.wait, STEP_BRANCHES.act, STEP_BRANCHES.expect, STEP_BRANCHES.screenshot]);
export type Step = z.infer<typeof stepSchema>;

export const suiteSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  description: z.string().min(1),
  /** Who acts and observes unless a step says `as:` (needs testruns:run). */
  user: z.string().min(1).default('admin'),
  /** Takes whole connections down (comm-fail): runs alone, after the suites that run side by side. */
  exclusive: z.boolean().default(false),
  steps: z.array(stepSchema).min(1),
  /** Always run at the end, pass or fail (clear faults, ack what is left). */
  cleanup: z.array(stepSchema).default([]),
});
export type Suite = z.infer<typeof suiteSchema>;

const where = (path: PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)';

/**
 * Parses a suite file. A step union error is reduced to the most specific issue, so a typo says
 * `steps[2].expect.within: duration "5 sec" is not like…`, not "invalid input".
 */
export function parseSuite(text: string, file: string): Suite {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: not YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = suiteSchema.safeParse(data);
  if (r.success) {
    const names = new Set<string>();
    for (const [i, s] of r.data.steps.entries()) {
      if ('inject' in s && s.name) {
        if (names.has(s.name)) throw new Error(`${file}: steps[${i}].name: "${s.name}" is used twice`);
        names.add(s.name);
      }
      if ('clear' in s && s.clear !== 'all' && !names.has(s.clear)) throw new Error(`${file}: steps[${i}].clear: no earlier inject named "${s.clear}" (or use clear: all)`);
    }
    return r.data;
  }
  const raw = data as { steps?: unknown[]; cleanup?: unknown[] };
  const issues = r.error.issues.flatMap((i) => {
    // A step is a union: report the issues of the kind of step it is (the key it has), not "invalid input".
    const [list, index] = i.path as [string, number];
    const step = (list === 'steps' || list === 'cleanup') && typeof index === 'number' && i.path.length === 2 ? raw[list]?.[index] : undefined;
    const kind = step && typeof step === 'object' ? Object.keys(STEP_BRANCHES).find((k) => k in step) : undefined;
    if (kind) {
      const sub = STEP_BRANCHES[kind as keyof typeof STEP_BRANCHES].safeParse(step);
      if (!sub.success) return sub.error.issues.map((x) => `${where([list, index, ...x.path])}: ${x.message}`);
    }
    if (step && !kind) return [`${where(i.path)}: a step needs one of ${Object.keys(STEP_BRANCHES).join(', ')}`];
    return [`${where(i.path)}: ${i.message}`];
  });
  throw new Error(`${file}: ${[...new Set(issues)].join('; ')}`);
}
