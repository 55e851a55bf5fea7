// The rule editor: pure YAML edits (comments kept, everything validated) and, against a real hub
// with the embedded history store, the REST flow: backtest → create → change → disable, each
// written back to alarms.yaml, versioned, audited and live in the engine without a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import type { PointInfo } from '../../contracts/point.js';
import { hashPassword } from '../auth/password.js';
import { validateConfigFolder } from '../config/validate.js';
import { createDriversWith } from '../driver-groups.js';
import { createHistoryModule, type HistoryModule } from '../history/module.js';
import { historySettingsSchema } from '../history/settings.js';
import { silentLogger } from '../log.js';
import { devicesYaml, SITE_YAML, tickFactory, usersYaml, writeConfigDir } from '../reload/test-site.js';
import { createHub, type Hub } from '../server.js';
import { createAlarmsModule, type AlarmsModule } from './index.js';
import { createRuleEditorModule } from './rule-edit-routes.js';
import { editRulesText, RuleEditError, RuleVersions } from './rule-edit.js';

const P0 = 'hq/a/l01/room-101/dev-a/p-0';
const P1 = 'hq/a/l01/room-101/dev-a/p-1';
const MSG = { en: 'Too hot', 'zh-CN': '过热' };
const info = (id: string): PointInfo => ({ id, name: { en: id, 'zh-CN': id }, kind: 'analog', writable: false, device: 'dev-a', protocol: 'tick', intervalMs: 1000 });
const POINTS = new Map([[P0, info(P0)], [P1, info(P1)]]);
const FILE = `# Alarm rules of the test site.
defaults:
  priority: medium   # default for rules without one

rules:
  # The first rule: keep this comment.
  - id: hot-0
    type: limit
    point: ${P0}
    limits: { high: { value: 50 } }
    message: { en: Hot, zh-CN: 热 }
`;
const rule1 = { id: 'hot-1', type: 'limit', point: P1, limits: { high: { value: 40 } }, message: MSG };

describe('editRulesText', () => {
  it('creates a rule and keeps every comment', () => {
    const { text, ruleId } = editRulesText(FILE, { op: 'create', rule: rule1 }, POINTS);
    expect(ruleId).toBe('hot-1');
    expect(text).toContain('# Alarm rules of the test site.');
    expect(text).toContain('# default for rules without one');
    expect(text).toContain('# The first rule: keep this comment.');
    expect(text).toContain('id: hot-1');
  });

  it('changes a rule in place, keeping the comment above it', () => {
    const { text } = editRulesText(FILE, { op: 'update', id: 'hot-0', rule: { ...rule1, id: 'hot-0', point: P0, limits: { high: { value: 55 } } } }, POINTS);
    expect(text).toContain('# The first rule: keep this comment.');
    expect(text).toMatch(/value: 55/);
    expect(text).not.toMatch(/value: 50/);
  });

  it('disables and re-enables a rule', () => {
    const off = editRulesText(FILE, { op: 'disable', id: 'hot-0', disabled: true }, POINTS).text;
    expect(off).toMatch(/disabled: true/);
    expect(editRulesText(off, { op: 'disable', id: 'hot-0', disabled: false }, POINTS).text).not.toMatch(/disabled/);
  });

  const refusals: Array<{ name: string; edit: Parameters<typeof editRulesText>[1]; code: RuleEditError['code']; line: RegExp }> = [
    { name: 'a rule that fails its schema, with the path', edit: { op: 'create', rule: { ...rule1, limits: { high: { value: 'hot' } } } }, code: 'invalid_rule', line: /^alarms\.yaml: rules\[1\]\.limits\.high\.value: / },
    { name: 'an unknown key', edit: { op: 'create', rule: { ...rule1, colour: 'red' } }, code: 'invalid_rule', line: /^alarms\.yaml: rules\[1\]: .*colour/ },
    { name: 'an unknown point', edit: { op: 'create', rule: { ...rule1, point: 'hq/a/l01/room-101/dev-a/nope' } }, code: 'invalid_rule', line: /^alarms\.yaml: rules\[1\]\.point: unknown point/ },
    { name: 'a duplicate id', edit: { op: 'create', rule: { ...rule1, id: 'hot-0' } }, code: 'duplicate_rule', line: /exists already/ },
    { name: 'changing a rule that does not exist', edit: { op: 'update', id: 'nope', rule: rule1 }, code: 'unknown_rule', line: /no rule "nope"/ },
    { name: 'disabling a rule that does not exist', edit: { op: 'disable', id: 'nope', disabled: true }, code: 'unknown_rule', line: /no rule "nope"/ },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}`, () => {
      let err: unknown;
      try {
        editRulesText(FILE, c.edit, POINTS);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RuleEditError);
      expect((err as RuleEditError).code).toBe(c.code);
      expect((err as RuleEditError).problems.some((l) => c.line.test(l))).toBe(true);
    });
  }

  it('starts a file that has no rules yet', () => {
    const { text } = editRulesText('', { op: 'create', rule: rule1 }, POINTS);
    expect(text).toMatch(/rules:\n\s+- id: hot-1/);
  });
});

describe('RuleVersions', () => {
  it('keeps every previous file with who and when, numbered', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-versions-'));
    try {
      const v = new RuleVersions(dir);
      expect(v.list()).toEqual([]);
      v.keep('a: 1\n', { ts: 1, user: 'sup', action: 'create', ruleId: 'r' });
      v.keep('a: 2\n', { ts: 2, user: 'adm', action: 'disable', ruleId: 'r' });
      expect(v.list().map((x) => [x.version, x.user, x.action])).toEqual([[1, 'sup', 'create'], [2, 'adm', 'disable']]);
      expect(v.text(1)).toBe('a: 1\n');
      expect(v.text(3)).toBeUndefined();
      expect(fs.statSync(path.join(dir, 'config-versions', 'alarms', '1.yaml')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('/api/alarm-rules on a running hub', () => {
  const PW = 'pw-for-tests';
  let hub: Hub;
  let dir: string;
  let alarms: AlarmsModule;
  let history: HistoryModule;
  const tokens: Record<string, string> = {};
  const call = async <T>(method: string, p: string, body?: unknown, who = 'supervisor') => {
    const res = await fetch(hub.url + p, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => null)) as T };
  };

  beforeAll(async () => {
    const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
    dir = writeConfigDir({
      'site.yaml': SITE_YAML,
      'hub.yaml': 'port: 0\n',
      'users.yaml': usersYaml([{ username: 'supervisor', role: 'supervisor', hash }, { username: 'operator', role: 'operator', hash }]),
      'devices/a.yaml': devicesYaml('gw-a', 'dev-a', 2, 1000),
      'alarms.yaml': FILE,
    });
    const factory = tickFactory();
    const load = (d: string) => validateConfigFolder(d, { drivers: [factory], floorplansDir: false });
    const config = load(dir);
    alarms = createAlarmsModule({ tickMs: 0 });
    history = createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'embedded', flushMs: 50 }) });
    hub = await createHub(config, {
      drivers: [], modules: [history, alarms, createRuleEditorModule({ history: () => history.store() })],
      log: silentLogger(), listen: { port: 0 }, driverLookup: (p) => (p === 'tick' ? factory : undefined), validateConfig: load,
    });
    // Two hours of history for P1: a 60 s excursion above 40 every 20 minutes, and one chattering minute.
    const now = Date.now();
    const from = now - 2 * 3_600_000;
    const samples = [];
    for (let t = from; t < now; t += 1000) {
      const s = Math.floor((t - from) / 1000);
      let v = 20;
      if (s % 1200 < 60) v = 45;
      if (s >= 3000 && s < 3060) v = s % 10 < 5 ? 45 : 20; // flapping: 6 crossings in a minute
      samples.push({ pointId: P1, value: v, quality: 'good' as const, readTs: t });
    }
    history.store()!.write(samples);
    await history.store()!.flush();
    for (const u of ['supervisor', 'operator']) {
      const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: PW }) });
      tokens[u] = ((await res.json()) as SessionInfo).token;
    }
  });

  afterAll(async () => {
    await hub?.stop();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('needs alarms:rules (an operator is refused)', async () => {
    const r = await call<{ error: { message: string } }>('GET', '/api/alarm-rules', undefined, 'operator');
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('alarms:rules');
  });

  it('backtests a rule over the stored history: when, how often, how much chattering', async () => {
    const r = await call<{ activations: number; chatteringActivations: number; resolution: string; alarms: Array<{ events: Array<{ kind: string }> }>; perDay: Record<string, number> }>(
      'POST', '/api/alarm-rules/backtest', { rule: rule1, days: 1 },
    );
    expect(r.status).toBe(200);
    expect(r.body.resolution).toBe('raw');
    // 6 excursions of 60 s (every 20 min over 2 h) + 6 flaps in the chattering minute.
    expect(r.body.activations).toBe(12);
    expect(r.body.chatteringActivations).toBe(6);
    expect(Object.values(r.body.perDay).reduce((a, b) => a + b, 0)).toBe(12);
    // The same rule with an on-delay of 10 s drops the flapping.
    const calm = await call<{ activations: number; chatteringActivations: number }>('POST', '/api/alarm-rules/backtest', { rule: { ...rule1, onDelayS: 10 }, days: 1 });
    expect(calm.body).toMatchObject({ activations: 6, chatteringActivations: 0 });
  });

  it('refuses a bad backtest with a clear 400', async () => {
    const r = await call<{ error: { message: string } }>('POST', '/api/alarm-rules/backtest', { rule: { ...rule1, point: 'hq/a/l01/room-101/dev-a/nope' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('unknown point');
    const days = await call<{ error: { message: string } }>('POST', '/api/alarm-rules/backtest', { rule: rule1, days: 400 });
    expect(days.status).toBe(400);
    expect(days.body.error.message).toContain('days');
  });

  it('creates, changes and disables a rule: written to alarms.yaml, versioned, audited, live in the engine', async () => {
    const created = await call<{ ruleId: string; previousVersion: number }>('POST', '/api/alarm-rules', rule1);
    expect(created.status).toBe(201);
    expect(alarms.engine!.def('hot-1.h')?.detector).toMatchObject({ value: 40 });
    const text = fs.readFileSync(path.join(dir, 'alarms.yaml'), 'utf8');
    expect(text).toContain('# The first rule: keep this comment.');
    expect(text).toContain('id: hot-1');

    const changed = await call('PUT', '/api/alarm-rules/hot-1', { ...rule1, limits: { high: { value: 42 } } });
    expect(changed.status).toBe(200);
    expect(alarms.engine!.def('hot-1.h')?.detector).toMatchObject({ value: 42 });

    const off = await call('POST', '/api/alarm-rules/hot-1/disable', { disabled: true });
    expect(off.status).toBe(200);
    expect(alarms.engine!.def('hot-1.h')).toBeUndefined();
    expect(alarms.engine!.def('hot-0.h')).toBeDefined();

    const versions = await call<{ versions: Array<{ version: number; user: string; action: string }> }>('GET', '/api/alarm-rules/versions');
    expect(versions.body.versions.map((v) => v.action)).toEqual(['disable', 'update', 'create']);
    expect(versions.body.versions.every((v) => v.user === 'supervisor')).toBe(true);
    expect(hub.audit.query({ action: 'alarm_rule.create' })[0]).toMatchObject({ user: 'supervisor', target: 'hot-1' });

    const list = await call<{ rules: Array<{ id: string; disabled?: boolean }> }>('GET', '/api/alarm-rules');
    expect(list.body.rules.find((x) => x.id === 'hot-1')?.disabled).toBe(true);
  });

  it('refuses an invalid edit with file: path: reason, and leaves the file alone', async () => {
    const before = fs.readFileSync(path.join(dir, 'alarms.yaml'), 'utf8');
    const r = await call<{ error: { code: string; message: string } }>('PUT', '/api/alarm-rules/hot-0', { ...rule1, id: 'hot-0', point: P0, limits: { high: { value: 10 }, highHigh: { value: 5 } } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/alarms\.yaml: rules\[0\]\.limits\.highHigh\.value: must be above high/);
    expect(fs.readFileSync(path.join(dir, 'alarms.yaml'), 'utf8')).toBe(before);
  });
});
