// A whole hub for the fuzz and regression suites: the demo config (validated like `npm run hub`
// does), every default module, a temporary data folder, the embedded history store, and in-process
// drivers that accept writes (so a well-formed command is a 200, not a device timeout). Its logger
// records every entry, so a test can assert that no stack trace was ever logged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ROLES, type Role } from '../../contracts/auth.js';
import type { Driver, DriverContext, WriteResult } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { validateConfigFolder, type ValidatedConfig } from '../../hub/config/validate.js';
import { defaultModules } from '../../hub/modules.js';
import type { HubLogger } from '../../hub/module.js';
import { createHub, REPO_ROOT, type Hub } from '../../hub/server.js';

export interface LogEntry { level: 'debug' | 'info' | 'warn' | 'error'; obj: object; msg?: string }

/** A logger that keeps every entry (bounded) in memory. */
export function recordingLogger(entries: LogEntry[] = [], bindings: object = {}): HubLogger & { entries: LogEntry[] } {
  const put = (level: LogEntry['level']) => (obj: object, msg?: string) => {
    if (entries.length < 200_000) entries.push({ level, obj: { ...bindings, ...obj }, msg });
  };
  return {
    entries,
    debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error'),
    child: (b: object) => recordingLogger(entries, { ...bindings, ...b }),
  };
}

/** Log entries that would print a stack trace: an Error object anywhere in them, or text with stack frames. */
export function stackTraces(entries: readonly LogEntry[]): LogEntry[] {
  const hasStack = (v: unknown, depth: number): boolean => {
    if (v instanceof Error) return true;
    if (typeof v === 'string') return /\n\s+at\s/.test(v);
    if (depth > 4 || typeof v !== 'object' || v === null) return false;
    return Object.values(v).some((x) => hasStack(x, depth + 1));
  };
  return entries.filter((e) => hasStack(e.obj, 0) || (e.msg !== undefined && hasStack(e.msg, 0)));
}

/** A driver for one protocol that takes every write and confirms it. */
class AcceptingDriver implements Driver {
  constructor(readonly protocol: string) {}
  async start(ctx: DriverContext): Promise<void> {
    void ctx;
  }
  async write(_pointId: string, value: PointValue): Promise<WriteResult> {
    return { confirmed: true, readBack: value };
  }
  async stop(): Promise<void> {}
}

export interface FuzzHub {
  hub: Hub;
  config: ValidatedConfig;
  log: ReturnType<typeof recordingLogger>;
  /** A live session token for the role (re-created if a fuzzed logout ended it). */
  token(role: Role): string;
  roles: readonly Role[];
  stop(): Promise<void>;
}

/**
 * A copy of the demo config in `dir`, with the lighting sweep's grace period at 0: POST
 * /api/control/lighting/sweep answers when the sweep is done, which is `graceMin` (5) minutes.
 */
function demoConfigCopy(dir: string): string {
  const copy = path.join(dir, 'config');
  fs.cpSync(path.join(REPO_ROOT, 'config'), copy, { recursive: true });
  const lighting = path.join(copy, 'lighting.yaml');
  const doc = YAML.parseDocument(fs.readFileSync(lighting, 'utf8'));
  if (doc.hasIn(['sweep'])) {
    doc.setIn(['sweep', 'graceMin'], 0);
    doc.setIn(['sweep', 'flashMs'], 200);
  }
  fs.writeFileSync(lighting, doc.toString());
  return copy;
}

export async function startFuzzHub(): Promise<FuzzHub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-fuzz-'));
  const config = validateConfigFolder(demoConfigCopy(dataDir));
  config.hub.dataDir = dataDir;
  config.hub.host = '127.0.0.1';
  // No influxd: the embedded store answers history queries (and a fuzz run must not start daemons).
  config.hub.history = { ...config.hub.history, backend: 'embedded', localInfluxd: { ...config.hub.history.localInfluxd, enabled: false } };
  const log = recordingLogger();
  const drivers = [...new Set(config.connections.map((c) => c.protocol))].map((p) => new AcceptingDriver(p));
  // A console folder of our own: the suite must not depend on (or wait for) a console build.
  const consoleDir = path.join(dataDir, 'console');
  fs.mkdirSync(path.join(consoleDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>fuzz</title>');
  fs.writeFileSync(path.join(consoleDir, 'assets', 'app.js'), 'export {};');
  const hub = await createHub(config, { drivers, modules: defaultModules(config, log), log, listen: { host: '127.0.0.1', port: 0 }, consoleDir });
  const tokens = new Map<Role, string>();
  const token = (role: Role): string => {
    const known = tokens.get(role);
    if (known && hub.auth.sessions.get(known)) return known;
    const user = config.users.find((u) => u.role === role);
    const s = hub.auth.sessions.create({
      username: user?.username ?? `fuzz-${role}`,
      name: user?.name.en ?? role,
      role,
      permissions: config.rolePermissions[role] ?? [],
    });
    tokens.set(role, s.token);
    return s.token;
  };
  return {
    hub, config, log, token, roles: ROLES,
    async stop() {
      await hub.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
