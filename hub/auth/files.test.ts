// Runtime files are private (issue 11 item 10): the alarm journal, the control database, the audit
// log and the sessions of a real hub are 0600 in a 0700 data folder, and a 0644 file left by an
// older hub is tightened at start.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAlarmsModule } from '../alarms/index.js';
import { loadConfig } from '../config/load.js';
import { createControlModule } from '../control/index.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { hardenDataDir } from './files.js';
import { hashPassword } from './password.js';

const root = mkdtempSync(join(tmpdir(), 'wf-files-'));
let hub: Hub | undefined;
const umask = process.umask();

afterAll(async () => {
  await hub?.stop();
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)]));
}
const mode = (p: string) => statSync(p).mode & 0o777;

describe('hardenDataDir', () => {
  it('creates the folder 0700 and takes group/other bits off what is inside', () => {
    const dir = join(root, 'old');
    mkdirSync(join(dir, 'alarms'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'alarms', 'journal.jsonl'), '{}\n', { mode: 0o644 });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'alarms', 'journal.jsonl'), 0o644);
    expect(hardenDataDir(dir)).toBe(3);
    expect([mode(dir), mode(join(dir, 'alarms')), mode(join(dir, 'alarms', 'journal.jsonl'))]).toEqual([0o700, 0o700, 0o600]);
  });
});

describe('a running hub', () => {
  it('writes journal, control, audit and session files readable by its own user only', async () => {
    process.umask(0o022); // what a shell usually gives: files 0644 unless the hub says otherwise
    const dataDir = join(root, 'data');
    const config = loadConfig(resolve('config'));
    config.hub.dataDir = dataDir;
    config.users = [{ username: 'sup', name: { en: 'Sup', 'zh-CN': '主管' }, role: 'supervisor', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }];
    hub = await createHub(config, { drivers: [], modules: [createControlModule(), createAlarmsModule()], log: silentLogger(), listen: { port: 0 }, consoleDir: join(root, 'none') });
    const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sup', password: 'pw' }) });
    expect(login.status).toBe(200);
    hub.ingest.contextFor('modbus').publish([{ pointId: 'hq/a/b1/pump-b101/leak-1/leak', value: true, quality: 'good', readTs: Date.now() }]);
    await new Promise((r) => setTimeout(r, 300));
    await hub.stop();
    hub = undefined;

    const entries = walk(dataDir);
    const names = entries.map((p) => p.slice(dataDir.length + 1));
    // The files the issue named exist, so the check below is about them.
    expect(names.some((n) => n.startsWith('audit/'))).toBe(true);
    expect(names.some((n) => n.startsWith('alarms/'))).toBe(true);
    expect(names.some((n) => n.startsWith('control/'))).toBe(true);
    expect(names).toContain('auth/sessions.json');
    const open = entries.filter((p) => (mode(p) & 0o077) !== 0).map((p) => `${p.slice(dataDir.length + 1)} ${mode(p).toString(8)}`);
    expect(open).toEqual([]);
    expect(mode(dataDir)).toBe(0o700);
  });
});
