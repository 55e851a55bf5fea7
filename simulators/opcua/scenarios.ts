// Scenario files (simulators/opcua/scenarios/opcua-*.yaml): timed changes to the
// plant's inputs — a fault flag, an enable command — at simulated seconds.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export const SCENARIO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');

const stepSchema = z.strictObject({
  /** Simulated seconds from the start of the scenario. */
  at: z.number().min(0),
  set: z.record(z.string().min(1), z.union([z.number(), z.boolean()])),
});
export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^opcua-[a-z0-9-]+$/),
  description: z.strictObject({ en: z.string(), 'zh-CN': z.string() }),
  steps: z.array(stepSchema).min(1),
});
export type Scenario = z.infer<typeof scenarioSchema>;

/** Parses and validates a scenario; errors name the file and the path inside it. */
export function parseScenario(text: string, file: string): Scenario {
  const result = scenarioSchema.safeParse(parse(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const steps = [...result.data.steps].sort((a, b) => a.at - b.at);
  return { ...result.data, steps };
}

export function listScenarios(dir = SCENARIO_DIR): string[] {
  return fs.readdirSync(dir).filter((f) => /^opcua-.*\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
}

/** Loads `name` (with or without the `opcua-` prefix) from the scenario folder. */
export function loadScenario(name: string, dir = SCENARIO_DIR): Scenario {
  const base = name.startsWith('opcua-') ? name : `opcua-${name}`;
  const file = [`${base}.yaml`, `${base}.yml`].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`unknown OPC UA scenario "${name}" (known: ${listScenarios(dir).join(', ')})`);
  return parseScenario(fs.readFileSync(file, 'utf8'), file);
}

/**
 * Plays the steps: each waits until its simulated time (real wait = at / timeScale)
 * then applies its `set`. Unknown paths fail before anything is applied.
 */
export async function playScenario(
  scenario: Scenario,
  io: { set(path: string, value: number | boolean): void; has(path: string): boolean; timeScale: number; signal?: AbortSignal },
): Promise<void> {
  for (const step of scenario.steps) {
    for (const p of Object.keys(step.set)) {
      if (!io.has(p)) throw new Error(`scenario ${scenario.name}: unknown variable "${p}"`);
    }
  }
  const start = Date.now();
  for (const step of scenario.steps) {
    const due = start + (step.at * 1000) / io.timeScale;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait, io.signal);
    if (io.signal?.aborted) return;
    for (const [p, v] of Object.entries(step.set)) io.set(p, v);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
