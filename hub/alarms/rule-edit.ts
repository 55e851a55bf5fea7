// Alarm-rule edits from the console, written back to config/alarms.yaml so config stays code:
// the YAML Document API keeps the file's comments and the layout of untouched rules. Every edit
// is validated before anything is written (the rule's schema, then the whole file against the
// site's points), the previous file is kept as a version under <dataDir>/config-versions/ with
// who and when, and the caller applies it through the live reload (which validates the whole
// folder again and restores the previous file if the folder is refused).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isSeq, type Document } from 'yaml';
import type { PointInfo } from '../../contracts/point.js';
import { checkAlarmRules } from './rules.js';
import { alarmsFileSchema, ruleSchema, type AlarmRule } from './schema.js';

export const ALARMS_FILE = 'alarms.yaml';
export const VERSIONS_DIR = 'config-versions';

export type RuleEdit =
  | { op: 'create'; rule: unknown }
  | { op: 'update'; id: string; rule: unknown }
  | { op: 'disable'; id: string; disabled: boolean };

/** An edit refused before anything was written: `problems` are `alarms.yaml: path: reason` lines. */
export class RuleEditError extends Error {
  constructor(readonly code: 'invalid_rule' | 'unknown_rule' | 'duplicate_rule', readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'RuleEditError';
  }
}

const fmtPath = (p: ReadonlyArray<PropertyKey>) => p.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${String(s)}`)).join('');

/** Validates one rule as the file's schema would; problems are named under `prefix`. Pure. */
export function parseRule(rule: unknown, prefix: string): AlarmRule {
  const r = ruleSchema.safeParse(rule);
  if (!r.success) throw new RuleEditError('invalid_rule', r.error.issues.map((i) => `${ALARMS_FILE}: ${fmtPath([prefix, ...i.path])}: ${i.message}`));
  return r.data;
}

function rulesSeq(doc: Document) {
  let rules = doc.get('rules', true);
  if (!isSeq(rules)) {
    doc.set('rules', doc.createNode([]));
    rules = doc.get('rules', true);
  }
  if (!isSeq(rules)) throw new Error('alarms.yaml: rules could not be created');
  return rules;
}

function indexOfRule(doc: Document, id: string): number {
  return rulesSeq(doc).items.findIndex((n) => isMap(n) && n.get('id') === id);
}

/**
 * Applies an edit to the file's text and returns the new text. Pure apart from nothing: no I/O.
 * Throws RuleEditError naming what is wrong (the rule, or the file as a whole against `points`).
 */
export function editRulesText(text: string, edit: RuleEdit, points: ReadonlyMap<string, PointInfo>): { text: string; ruleId: string } {
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new RuleEditError('invalid_rule', doc.errors.map((e) => `${ALARMS_FILE}: ${e.message.split('\n')[0]}`));
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  const seq = rulesSeq(doc);
  let ruleId: string;
  if (edit.op === 'create') {
    const rule = parseRule(edit.rule, `rules[${seq.items.length}]`);
    if (indexOfRule(doc, rule.id) >= 0) throw new RuleEditError('duplicate_rule', [`${ALARMS_FILE}: rules: a rule "${rule.id}" exists already (change it instead)`]);
    seq.items.push(doc.createNode(edit.rule) as never);
    ruleId = rule.id;
  } else {
    const i = indexOfRule(doc, edit.id);
    if (i < 0) throw new RuleEditError('unknown_rule', [`${ALARMS_FILE}: rules: no rule "${edit.id}"`]);
    if (edit.op === 'update') {
      const rule = parseRule(edit.rule, `rules[${i}]`);
      if (rule.id !== edit.id && indexOfRule(doc, rule.id) >= 0) throw new RuleEditError('duplicate_rule', [`${ALARMS_FILE}: rules[${i}].id: a rule "${rule.id}" exists already`]);
      // Keep the comment written above the rule; the rule's own body is replaced.
      const old = seq.items[i] as { commentBefore?: string | null };
      const node = doc.createNode(edit.rule) as { commentBefore?: string | null };
      node.commentBefore = old.commentBefore;
      seq.items[i] = node as never;
      ruleId = rule.id;
    } else {
      const node = seq.items[i];
      if (!isMap(node)) throw new RuleEditError('invalid_rule', [`${ALARMS_FILE}: rules[${i}]: not a mapping`]);
      if (edit.disabled) node.set('disabled', true);
      else node.delete('disabled');
      ruleId = edit.id;
    }
  }
  const out = doc.toString();
  // The whole file, as the loader checks it: a rule that names an unknown point is refused here.
  const parsed = alarmsFileSchema.safeParse(YAML.parse(out) ?? {});
  if (!parsed.success) throw new RuleEditError('invalid_rule', parsed.error.issues.map((i) => `${ALARMS_FILE}: ${fmtPath(i.path)}: ${i.message}`));
  const issues = checkAlarmRules(parsed.data, new Map(points));
  if (issues.length) throw new RuleEditError('invalid_rule', issues.map((i) => `${ALARMS_FILE}: ${fmtPath(i.path)}: ${i.message}`));
  return { text: out, ruleId };
}

export interface RuleVersion {
  version: number;
  ts: number;
  user: string;
  action: RuleEdit['op'];
  ruleId: string;
  /** SHA-256 of the file as it was before this edit (kept as `<version>.yaml`). */
  sha256: string;
}

/** Previous versions of alarms.yaml: `<dataDir>/config-versions/alarms/<n>.yaml` plus an index with who/when. */
export class RuleVersions {
  private readonly dir: string;
  private readonly index: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, VERSIONS_DIR, 'alarms');
    this.index = path.join(this.dir, 'index.jsonl');
  }

  list(): RuleVersion[] {
    if (!fs.existsSync(this.index)) return [];
    return fs.readFileSync(this.index, 'utf8').split('\n').filter(Boolean).flatMap((l) => {
      try {
        return [JSON.parse(l) as RuleVersion];
      } catch {
        return []; // a torn last line after a crash costs that entry only
      }
    });
  }

  /** Keeps `text` (the file before an edit) as the next version. */
  keep(text: string, meta: Omit<RuleVersion, 'version' | 'sha256'>): RuleVersion {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const version = (this.list().at(-1)?.version ?? 0) + 1;
    const v: RuleVersion = { version, ...meta, sha256: createHash('sha256').update(text).digest('hex') };
    fs.writeFileSync(path.join(this.dir, `${version}.yaml`), text, { mode: 0o600 });
    fs.appendFileSync(this.index, `${JSON.stringify(v)}\n`, { mode: 0o600 });
    return v;
  }

  text(version: number): string | undefined {
    const f = path.join(this.dir, `${version}.yaml`);
    return Number.isInteger(version) && version > 0 && fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
  }
}

/** Replaces a file atomically (write a sibling, rename), so a reload or a crash never sees half of it. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
