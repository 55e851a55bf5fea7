// Reading and checking config/schedules.yaml and config/lighting.yaml. The check functions do no
// I/O so the lead's config loader can refuse bad files with their paths.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { PointInfo } from '../../contracts/point.js';
import { calendarProblems } from './calendar.js';
import { checkLighting, lightingFileSchema, type LightingFile } from './lighting-schema.js';
import { groupProblems, scheduleDocProblems, type Problem } from './schedule.js';
import { schedulesFileSchema, type SchedulesFile } from './schedule-schema.js';
import { sectionKey, sectionOf } from '../config/section-key.js';

export { lightingFileSchema, schedulesFileSchema, checkLighting };

/** Cross-checks of a parsed schedules.yaml against the site's points (no I/O). */
export function checkSchedules(file: SchedulesFile, points: ReadonlyMap<string, PointInfo>): Problem[] {
  return [...calendarProblems(file.calendar), ...groupProblems(file.groups, points), ...scheduleDocProblems({ schedules: file.schedules }, file.groups)];
}

export class ControlConfigError extends Error {
  constructor(readonly problems: Array<{ file: string; path: (string | number | symbol)[]; message: string }>) {
    super(problems.map((p) => `${p.file}: ${p.path.map(String).join('.') || '(file)'}: ${p.message}`).join('\n'));
    this.name = 'ControlConfigError';
  }
}

function readFile<T>(file: string, schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }): T | null {
  if (!fs.existsSync(file)) return null;
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length) throw new ControlConfigError(doc.errors.map((e) => ({ file, path: [], message: e.message.split('\n')[0] })));
  const r = schema.safeParse(doc.toJS() ?? {});
  if (!r.success) throw new ControlConfigError(r.error.issues.map((i) => ({ file, path: i.path as (string | number)[], message: i.message })));
  return r.data;
}

/** Loads and checks both files from a config folder; a missing file is null, a bad one throws with every problem. */
export function loadControlConfig(dir: string, points: ReadonlyMap<string, PointInfo>): { schedules: SchedulesFile | null; lighting: LightingFile | null } {
  const sf = path.join(dir, 'schedules.yaml');
  const lf = path.join(dir, 'lighting.yaml');
  const schedules = readFile(sf, schedulesFileSchema);
  const lighting = readFile(lf, lightingFileSchema);
  const problems = [
    ...(schedules ? checkSchedules(schedules, points).map((p) => ({ file: sf, ...p })) : []),
    ...(lighting ? checkLighting(lighting, points).map((p) => ({ file: lf, ...p })) : []),
  ];
  if (problems.length) throw new ControlConfigError(problems);
  return { schedules, lighting };
}

/** schedules.yaml and lighting.yaml as the config loader validated them (LoadedConfig.sections). */
export const SCHEDULES_SECTION = sectionKey<SchedulesFile>('schedules.yaml');
export const LIGHTING_SECTION = sectionKey<LightingFile>('lighting.yaml');

/**
 * Both files of a loaded config, already parsed and cross-checked by the loader (nothing is read
 * again); only a config built by hand (no `sections`) reads them from its folder.
 */
export function controlConfigOf(config: { dir: string; sections?: ReadonlyMap<string, unknown> }, points: ReadonlyMap<string, PointInfo>): { schedules: SchedulesFile | null; lighting: LightingFile | null } {
  if (!config.sections) return loadControlConfig(config.dir, points);
  return { schedules: sectionOf(config.sections, SCHEDULES_SECTION) ?? null, lighting: sectionOf(config.sections, LIGHTING_SECTION) ?? null };
}
