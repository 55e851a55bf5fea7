// The simulator's own description of what each gateway serves (simulators/modbus/demo.yaml).
// It is not read from config/: the demo config is generated from the same table, and a test
// cross-checks the two, so neither side can silently drift.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlCached } from '../../lib/yaml-cache.js';
import { MODELS } from './models/index.js';

const idSegment = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

const unitSpec = z.strictObject({
  unit: z.number().int().min(1).max(247),
  model: z.string().refine((m) => m in MODELS, { message: `unknown model; known: ${Object.keys(MODELS).join(', ')}` }),
  /** Equipment id in the config (5th segment of point ids). */
  device: idSegment,
  /** Room id on the gateway's floor. */
  room: idSegment,
  options: z.record(z.string(), z.unknown()).default({}),
});

const gatewaySpec = z.strictObject({
  id: idSegment,
  floor: idSegment,
  /** Port when started with ports: 'demo'. */
  port: z.number().int().min(1).max(65535),
  units: z.array(unitSpec).min(1),
});

const simSpecSchema = z.strictObject({
  building: idSegment,
  gateways: z.array(gatewaySpec).min(1),
});

export type UnitSpec = z.infer<typeof unitSpec>;
export type GatewaySpec = z.infer<typeof gatewaySpec>;
export type SimSpec = z.infer<typeof simSpecSchema>;

function pathText(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Validates a spec object, including each unit's model options; throws one error listing every problem. */
export function parseSimSpec(data: unknown, where = 'sim spec'): SimSpec {
  const result = simSpecSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`${where}: ${result.error.issues.map((i) => `${pathText(i.path) || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const spec = result.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  const ports = new Set<number>();
  spec.gateways.forEach((g, gi) => {
    if (ids.has(g.id)) problems.push(`gateways[${gi}].id: ${g.id} is used twice`);
    if (ports.has(g.port)) problems.push(`gateways[${gi}].port: ${g.port} is used twice`);
    ids.add(g.id);
    ports.add(g.port);
    const units = new Set<number>();
    g.units.forEach((u, ui) => {
      const at = `gateways[${gi}].units[${ui}]`;
      if (units.has(u.unit)) problems.push(`${at}.unit: ${u.unit} is used twice on ${g.id}`);
      units.add(u.unit);
      const opts = MODELS[u.model].options.safeParse(u.options);
      if (!opts.success) opts.error.issues.forEach((i) => problems.push(`${at}.options.${pathText(i.path)}: ${i.message}`));
      else u.options = opts.data as Record<string, unknown>;
    });
  });
  if (problems.length) throw new Error(`${where}: ${problems.join('; ')}`);
  return spec;
}

/**
 * Reads and validates a spec file. The parse goes through the persistent YAML cache: a cold parse of
 * demo.yaml was ~190 ms of the simulators' start-up CPU (docs/performance.md, "Cold start"); the
 * schema still checks every value, cached or not.
 */
export function loadSimSpec(file: string): SimSpec {
  let data: unknown;
  try {
    data = parseYamlCached(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  return parseSimSpec(data, file);
}

export const DEMO_SPEC_FILE = new URL('./demo.yaml', import.meta.url).pathname;
