// Scenarios: timed steps that set device fields on a simulator, e.g. a leak in the pump room at
// t = 30 s. The format is documented in simulators/README.md. Protocol-neutral: any simulator
// that can set a field by (gateway, unit, field) can play them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
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

const step = z
  .strictObject({
    at: duration,
    gateway: z.string().min(1),
    unit: z.number().int().min(1).max(247),
    /** Field → value. The value sticks (the model's own behaviour stops changing it). */
    set: z.record(z.string(), z.union([z.boolean(), z.number()])).optional(),
    /** Fields handed back to the model's own behaviour. */
    release: z.array(z.string()).optional(),
    /** Shown in the log when the step plays. */
    note: z.string().optional(),
  })
  .refine((s) => s.set !== undefined || s.release !== undefined, { message: 'a step needs set or release' });

const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  steps: z.array(step).min(1),
});

export type ScenarioStep = z.infer<typeof step>;
export interface Scenario {
  name: string;
  description: string;
  /** Steps sorted by `at` (ms of scenario time). */
  steps: ScenarioStep[];
  file?: string;
}

/** What a scenario drives: a simulator that can set fields and check they exist. */
export interface ScenarioTarget {
  /** Throws with a clear message when the gateway, unit or field does not exist or the value has the wrong type. */
  check(gateway: string, unit: number, field: string, value?: number | boolean): void;
  set(gateway: string, unit: number, field: string, value: number | boolean): void;
  release(gateway: string, unit: number, field: string): void;
}

export function parseScenario(text: string, where: string): Scenario {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
  const r = scenarioSchema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)'}: ${i.message}`);
    throw new Error(`${where}: ${issues.join('; ')}`);
  }
  return { ...r.data, steps: [...r.data.steps].sort((a, b) => a.at - b.at), file: where };
}

export const SCENARIO_DIR = path.dirname(new URL(import.meta.url).pathname);

/** A name (`leak-b1`) looks in simulators/scenarios/; anything with a slash or .yaml is a path. */
export function resolveScenarioFile(nameOrPath: string): string {
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml');
  const file = isPath ? path.resolve(nameOrPath) : path.join(SCENARIO_DIR, `${nameOrPath}.yaml`);
  if (!existsSync(file)) throw new Error(`scenario ${nameOrPath}: no such file ${file}`);
  return file;
}

export function loadScenario(nameOrPath: string): Scenario {
  const file = resolveScenarioFile(nameOrPath);
  return parseScenario(readFileSync(file, 'utf8'), file);
}

/** Checks every step against the target before anything plays, so a typo never half-runs a scenario. */
export function checkScenario(s: Scenario, target: ScenarioTarget): void {
  const problems: string[] = [];
  s.steps.forEach((st, i) => {
    for (const [field, value] of Object.entries(st.set ?? {})) {
      try {
        target.check(st.gateway, st.unit, field, value);
      } catch (err) {
        problems.push(`steps[${i}] (at ${st.at / 1000}s): ${(err as Error).message}`);
      }
    }
    for (const field of st.release ?? []) {
      try {
        target.check(st.gateway, st.unit, field);
      } catch (err) {
        problems.push(`steps[${i}] (at ${st.at / 1000}s): ${(err as Error).message}`);
      }
    }
  });
  if (problems.length) throw new Error(`scenario ${s.name} (${s.file ?? 'inline'}): ${problems.join('; ')}`);
}

export interface PlayOptions {
  /** Scenario time runs this many times faster than real time. Default 1. */
  timeScale?: number;
  signal?: AbortSignal;
  onStep?: (step: ScenarioStep, index: number) => void;
}

/** Plays the steps in order; resolves after the last one. Rejects if aborted. */
export async function playScenario(s: Scenario, target: ScenarioTarget, opts: PlayOptions = {}): Promise<void> {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  checkScenario(s, target);
  const started = Date.now();
  for (const [i, st] of s.steps.entries()) {
    const wait = st.at / timeScale - (Date.now() - started);
    if (wait > 0) await sleep(wait, opts.signal);
    if (opts.signal?.aborted) throw new Error(`scenario ${s.name} aborted`);
    for (const [field, value] of Object.entries(st.set ?? {})) target.set(st.gateway, st.unit, field, value);
    for (const field of st.release ?? []) target.release(st.gateway, st.unit, field);
    opts.onStep?.(st, i);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('scenario aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
