// Cross-checks of config/alarms.yaml against the point list, and compilation of rules into
// alarm definitions (one per rule, or one per limit level). No I/O except loadAlarmRules.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { AlarmPriority } from '../../contracts/alarms.js';
import type { LocalizedText, PointInfo } from '../../contracts/point.js';
import { ConfigError, type ConfigProblem } from '../config/errors.js';
import { alarmsFileSchema, LIMIT_LEVELS, type AlarmAction, type AlarmRule, type AlarmsFile, type Condition, type LimitLevel } from './schema.js';
import { sectionKey, sectionOf } from '../config/section-key.js';

type Scalar = boolean | number | string;

export type Detector =
  | { kind: 'limit'; direction: 'high' | 'low'; value: number; deadband: number }
  | { kind: 'state'; values: Scalar[] }
  | { kind: 'rate'; maxRisePerMin?: number; maxFallPerMin?: number }
  | { kind: 'deviation'; setpoint: string; maxDeviation: number; deadband: number }
  | { kind: 'comm-fail' }
  /** Owned by an external alarm system (OPC UA A&C): the driver reports the condition, nothing is evaluated here. */
  | { kind: 'external'; connection: string; conditionId: string; source: string; severity: number }
  /** Decided by a hub subsystem (a rule source such as patrols) through AlarmEngine.setSourceConditions; no point moves it. */
  | { kind: 'source'; source: string };

/** One alarm: what the engine evaluates and the state machine steps. */
export interface AlarmDef {
  id: string;
  ruleId: string;
  pointId: string;
  priority: AlarmPriority;
  area: string;
  message: LocalizedText;
  unit?: string;
  detector: Detector;
  onDelayMs: number;
  offDelayMs: number;
  latching: boolean;
  /** 0 = never re-alarm. */
  reAlarmMs: number;
  maxShelveMs: number;
  /** 0 = never escalate. */
  escalateMs: number;
  when?: Condition[];
  suppressWhen?: Condition[];
  actions: AlarmAction[];
  /** Other points whose change re-evaluates this alarm (setpoint, condition points). */
  dependsOn: string[];
}

export interface CompiledAlarms {
  defs: AlarmDef[];
  timeWindows: AlarmsFile['timeWindows'];
  operatorPositions: number;
}

export interface RuleIssue { path: (string | number)[]; message: string }

/** `hq/a/b1/archive-b101/leak-1/leak` → `a/b1/archive-b101`. */
export function areaOfPoint(pointId: string): string {
  return pointId.split('/').slice(1, 4).join('/');
}

function conditionPoints(conds: Condition[] | undefined): Array<{ index: number; point: string }> {
  return (conds ?? []).flatMap((c, index) => (c.type === 'point' ? [{ index, point: c.point }] : []));
}

/** Cross-checks a parsed file against the points (no I/O). Paths are inside config/alarms.yaml. */
export function checkAlarmRules(file: AlarmsFile, points: Map<string, PointInfo>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Map<string, number>();
  file.rules.forEach((rule, i) => {
    const at = ['rules', i];
    const prior = seen.get(rule.id);
    if (prior !== undefined) issues.push({ path: [...at, 'id'], message: `duplicate rule id "${rule.id}" (first at rules[${prior}])` });
    else seen.set(rule.id, i);

    const info = points.get(rule.point);
    if (!info) issues.push({ path: [...at, 'point'], message: `unknown point "${rule.point}"` });
    else {
      const kindProblem = kindMismatch(rule, info);
      if (kindProblem) issues.push({ path: [...at, kindProblem.key], message: kindProblem.message });
    }
    if (rule.type === 'deviation') {
      const sp = points.get(rule.setpoint);
      if (!sp) issues.push({ path: [...at, 'setpoint'], message: `unknown point "${rule.setpoint}"` });
      else if (sp.kind !== 'analog') issues.push({ path: [...at, 'setpoint'], message: `setpoint "${rule.setpoint}" is ${sp.kind}, not analog` });
    }
    for (const key of ['when', 'suppressWhen'] as const) {
      for (const { index, point } of conditionPoints(rule[key])) {
        if (!points.has(point)) issues.push({ path: [...at, key, index, 'point'], message: `unknown point "${point}"` });
      }
      (rule[key] ?? []).forEach((c, index) => {
        if (c.type === 'time-window' && !Object.hasOwn(file.timeWindows, c.window)) {
          issues.push({ path: [...at, key, index, 'window'], message: `unknown time window "${c.window}" (define it under timeWindows)` });
        }
      });
    }
  });
  return issues;
}

function kindMismatch(rule: AlarmRule, info: PointInfo): { key: string; message: string } | undefined {
  const analogOnly = rule.type === 'limit' || rule.type === 'rate' || rule.type === 'deviation';
  if (analogOnly && info.kind !== 'analog') return { key: 'type', message: `a ${rule.type} rule needs an analog point; "${info.id}" is ${info.kind}` };
  if (rule.type === 'state') {
    if (info.kind === 'analog' || info.kind === 'string') return { key: 'type', message: `a state rule needs a binary or multistate point; "${info.id}" is ${info.kind}` };
    const values = Array.isArray(rule.activeWhen) ? rule.activeWhen : [rule.activeWhen];
    for (const v of values) {
      if (info.kind === 'binary' && typeof v !== 'boolean' && v !== 0 && v !== 1) return { key: 'activeWhen', message: `"${info.id}" is binary: use true/false, not ${JSON.stringify(v)}` };
      if (info.kind === 'multistate' && info.states && !(String(v) in info.states)) {
        return { key: 'activeWhen', message: `state ${JSON.stringify(v)} is not one of "${info.id}"'s states (${Object.keys(info.states).join(', ')})` };
      }
    }
  }
  return undefined;
}

const minMs = (m: number) => Math.round(m * 60_000);
const sMs = (s: number | undefined) => Math.round((s ?? 0) * 1000);

/** Turns validated, checked rules into alarm definitions. */
export function compileRules(file: AlarmsFile, points?: Map<string, PointInfo>): CompiledAlarms {
  const d = file.defaults;
  const defs: AlarmDef[] = [];
  for (const rule of file.rules) {
    if (rule.disabled) continue;
    const priority = rule.priority ?? d.priority;
    const dependsOn = [
      ...(rule.type === 'deviation' ? [rule.setpoint] : []),
      ...conditionPoints(rule.when).map((c) => c.point),
      ...conditionPoints(rule.suppressWhen).map((c) => c.point),
    ].filter((p, i, all) => p !== rule.point && all.indexOf(p) === i);
    const base = (id: string, p: AlarmPriority, detector: Detector, message: LocalizedText, onDelayS?: number, offDelayS?: number): AlarmDef => ({
      id,
      ruleId: rule.id,
      pointId: rule.point,
      priority: p,
      area: rule.area ?? areaOfPoint(rule.point),
      message,
      unit: points?.get(rule.point)?.unit,
      detector,
      onDelayMs: sMs(onDelayS ?? rule.onDelayS),
      offDelayMs: sMs(offDelayS ?? rule.offDelayS),
      latching: rule.latching ?? false,
      reAlarmMs: minMs(rule.reAlarmMin ?? d.reAlarmMin),
      maxShelveMs: minMs(rule.maxShelveMin ?? d.maxShelveMin),
      escalateMs: p === 'critical' || p === 'high' ? minMs(rule.escalateAfterMin ?? d.escalateAfterMin[p]) : 0,
      when: rule.when,
      suppressWhen: rule.suppressWhen,
      actions: rule.actions ?? [],
      dependsOn,
    });
    switch (rule.type) {
      case 'limit':
        for (const level of Object.keys(LIMIT_LEVELS) as LimitLevel[]) {
          const l = rule.limits[level];
          if (!l) continue;
          const direction = level === 'highHigh' || level === 'high' ? 'high' : 'low';
          defs.push(
            base(`${rule.id}.${LIMIT_LEVELS[level]}`, l.priority ?? priority, { kind: 'limit', direction, value: l.value, deadband: l.deadband ?? rule.deadband ?? 0 }, l.message ?? rule.message, l.onDelayS, l.offDelayS),
          );
        }
        break;
      case 'state':
        defs.push(base(rule.id, priority, { kind: 'state', values: Array.isArray(rule.activeWhen) ? rule.activeWhen : [rule.activeWhen] }, rule.message));
        break;
      case 'rate':
        defs.push(base(rule.id, priority, { kind: 'rate', maxRisePerMin: rule.maxRisePerMin, maxFallPerMin: rule.maxFallPerMin }, rule.message));
        break;
      case 'deviation':
        defs.push(base(rule.id, priority, { kind: 'deviation', setpoint: rule.setpoint, maxDeviation: rule.maxDeviation, deadband: rule.deadband ?? 0 }, rule.message));
        break;
      case 'comm-fail': {
        // Comm failure "longer than N s" is exactly an on-delay on the raw condition.
        const def = base(rule.id, priority, { kind: 'comm-fail' }, rule.message);
        def.onDelayMs = sMs(rule.afterS);
        defs.push(def);
        break;
      }
    }
  }
  return { defs, timeWindows: file.timeWindows, operatorPositions: d.operatorPositions };
}

export const ALARMS_FILE = 'alarms.yaml';
/** alarms.yaml as the config loader validated it (LoadedConfig.sections). */
export const ALARMS_SECTION = sectionKey<AlarmsFile>(ALARMS_FILE);

/**
 * The compiled rules of a loaded config. The loader already parsed, validated and cross-checked
 * alarms.yaml, so nothing is read again; only a config built by hand (no `sections`) reads the file.
 */
export function alarmRulesOf(config: { dir: string; sections?: ReadonlyMap<string, unknown> }, points: Map<string, PointInfo>): CompiledAlarms {
  if (!config.sections) return loadAlarmRules(config.dir, points);
  return compileRules(sectionOf(config.sections, ALARMS_SECTION) ?? alarmsFileSchema.parse({}), points);
}

/**
 * Reads, validates, cross-checks and compiles `<configDir>/alarms.yaml`. A missing file means
 * no rules. Every problem is reported at once in a ConfigError naming the file and path.
 */
export function loadAlarmRules(configDir: string, points: Map<string, PointInfo>): CompiledAlarms {
  const file = path.join(path.resolve(configDir), ALARMS_FILE);
  if (!fs.existsSync(file)) return compileRules(alarmsFileSchema.parse({}), points);
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        return { file, path: [], message: `${at ? `line ${at.line}, column ${at.col}: ` : ''}${e.message.split('\n')[0]}` };
      }),
    );
  }
  const parsed = alarmsFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i): ConfigProblem => ({ file, path: i.path, message: i.message })));
  }
  const issues = checkAlarmRules(parsed.data, points);
  if (issues.length > 0) throw new ConfigError(issues.map((i) => ({ file, path: i.path, message: i.message })));
  return compileRules(parsed.data, points);
}
