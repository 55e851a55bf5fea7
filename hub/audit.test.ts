import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, auditFileName } from './audit.js';
import { captureLogger } from './log.js';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'wf-audit-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const T0 = Date.UTC(2025, 0, 31, 23, 59, 0);

describe('AuditLog', () => {
  it('appends JSON lines into one file per UTC day', () => {
    const dir = tmp();
    const audit = new AuditLog(dir, captureLogger());
    audit.record({ ts: T0, user: 'op', action: 'point.write', target: 'hq/a/x/y/z/p', details: { old: 1, new: 2 } });
    audit.record({ ts: T0 + 120_000, user: 'op', action: 'auth.login', target: 'op' });
    audit.close();
    expect(readdirSync(dir).sort()).toEqual(['audit-2025-01-31.jsonl', 'audit-2025-02-01.jsonl']);
    expect(JSON.parse(readFileSync(join(dir, 'audit-2025-01-31.jsonl'), 'utf8'))).toEqual({
      ts: T0, user: 'op', action: 'point.write', target: 'hq/a/x/y/z/p', details: { old: 1, new: 2 },
    });
  });

  it('stamps entries without ts with the clock', () => {
    const audit = new AuditLog(tmp(), captureLogger(), () => T0);
    audit.record({ user: 'u', action: 'a', target: 't' });
    expect(audit.query()[0].ts).toBe(T0);
    audit.close();
  });

  it('queries newest first by time range, user, action and limit', () => {
    const audit = new AuditLog(tmp(), captureLogger());
    for (let i = 0; i < 6; i++) {
      audit.record({ ts: T0 + i * 60_000, user: i % 2 ? 'op' : 'guard', action: i < 3 ? 'point.write' : 'alarm.ack', target: `t${i}` });
    }
    expect(audit.query().map((e) => e.target)).toEqual(['t5', 't4', 't3', 't2', 't1', 't0']);
    expect(audit.query({ user: 'op' }).map((e) => e.target)).toEqual(['t5', 't3', 't1']);
    expect(audit.query({ action: 'point.write', limit: 2 }).map((e) => e.target)).toEqual(['t2', 't1']);
    expect(audit.query({ from: T0 + 60_000, to: T0 + 180_000 }).map((e) => e.target)).toEqual(['t3', 't2', 't1']);
    audit.close();
  });

  it('skips a corrupt line, logs once, keeps the rest', () => {
    const dir = tmp();
    const log = captureLogger();
    const audit = new AuditLog(dir, log);
    audit.record({ ts: T0, user: 'a', action: 'x', target: 't' });
    appendFileSync(join(dir, auditFileName(T0)), '{not json\n');
    audit.record({ ts: T0 + 1, user: 'b', action: 'x', target: 't' });
    expect(audit.query().map((e) => e.user)).toEqual(['b', 'a']);
    audit.query();
    expect(log.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
    audit.close();
  });
});
