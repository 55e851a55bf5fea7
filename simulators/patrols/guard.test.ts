// The simulated guard against a real hub: real signed codes over the REST API, one checkpoint
// skipped and one scanned late, and the hub raising the missed and late alarms through the alarm
// engine; plus the plan itself as a table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import type { ComplianceReport, RunStatus } from '../../contracts/patrols.js';
import { createAlarmsModule } from '../../hub/alarms/index.js';
import { compileRules } from '../../hub/alarms/rules.js';
import { alarmsFileSchema } from '../../hub/alarms/schema.js';
import { hashPassword } from '../../hub/auth/password.js';
import { buildCalendar } from '../../hub/control/calendar.js';
import { silentLogger } from '../../hub/log.js';
import { createPatrolsModule, type PatrolsModule } from '../../hub/patrols/index.js';
import { patrolsFileSchema } from '../../hub/patrols/schema.js';
import { createHub, type Hub } from '../../hub/server.js';
import { testSiteConfig } from '../../hub/test-support.js';
import { planRun, seeded, SimulatedGuard } from './guard.js';

const MIN = 60_000;
const T0 = Date.parse('2026-05-06T02:00:00+08:00');
let now = T0 - 5 * MIN;
let hub: Hub;
let dataDir: string;
let patrols: PatrolsModule;
let supToken = '';
const CPS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

const run = (): RunStatus => ({
  runId: 'r', tour: 't', kind: 'guard', shift: 'n', date: '', dayType: 'workday', start: 0, end: 0, assignee: 'g', state: 'in_progress', overdue: [],
  counts: { pending: 3, on_time: 1, early: 0, late: 0, missed: 0 },
  checkpoints: [
    { checkpoint: 'a', index: 0, due: 0, opens: -60_000, closes: 60_000, status: 'on_time', scannedAt: 1 },
    { checkpoint: 'b', index: 1, due: 300_000, opens: 240_000, closes: 360_000, status: 'pending' },
    { checkpoint: 'c', index: 2, due: 600_000, opens: 540_000, closes: 660_000, status: 'pending' },
    { checkpoint: 'd', index: 3, due: 900_000, opens: 840_000, closes: 960_000, status: 'pending' },
  ],
});

describe('planRun', () => {
  it.each([
    ['all on time', { lateShare: 0, skipShare: 0 }, ['on_time', 'on_time', 'on_time']],
    ['all skipped', { lateShare: 0, skipShare: 1 }, ['skip', 'skip', 'skip']],
    ['all late', { lateShare: 1, skipShare: 0 }, ['late', 'late', 'late']],
    ['forced', { lateShare: 0, skipShare: 0, intents: { c: 'skip' as const } }, ['on_time', 'skip', 'on_time']],
  ])('%s', (_n, o, intents) => {
    const plan = planRun(run(), { ...o, rng: seeded(7) });
    expect(plan.map((p) => p.intent)).toEqual(intents);
    for (const p of plan) {
      const c = run().checkpoints[p.index];
      if (p.intent === 'late') expect(p.at).toBeGreaterThan(c.closes);
      else expect(p.at >= c.opens && p.at <= c.closes).toBe(true);
    }
  });
});

beforeAll(async () => {
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'wf-patrols-sim-'));
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, dataDir, users: [{ username: 'g', role: 'guard', passwordHash: hash }, { username: 'sup', role: 'supervisor', passwordHash: hash }] });
  const n = (s: string) => ({ en: s, 'zh-CN': s });
  const file = patrolsFileSchema.parse({
    shifts: [{ id: 'night', name: n('Night'), from: '20:00', to: '08:00' }],
    checkpoints: CPS.map((id) => ({ id, name: n(id.toUpperCase()), area: 'a/l01' })),
    tours: [{ id: 'loop', name: n('Loop'), area: 'a', maxGapMin: 20, assign: { user: 'g' }, runs: [{ shift: 'night', at: '02:00' }], checkpoints: CPS.map((checkpoint, i) => ({ checkpoint, atMin: i * 5, windowMin: 2 })) }],
  });
  const alarms = createAlarmsModule({ compiled: compileRules(alarmsFileSchema.parse({}), new Map()), now: () => now, tickMs: 0 });
  patrols = createPatrolsModule({ alarms: () => alarms.engine, file, calendar: buildCalendar({ holidays: [], workdays: [] }), now: () => now, tickMs: 0 });
  hub = await createHub(config, { drivers: [], modules: [alarms, patrols], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dataDir, 'none') });
  supToken = ((await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sup', password: 'pw' }) })).json()) as { token: string }).token;
}, 30_000);

afterAll(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a simulated guard walks a tour through the API', () => {
  it('skips one and is late at another: the hub raises missed and late alarms', async () => {
    const get = async <T>(path: string) => (await (await fetch(hub.url + path, { headers: { authorization: `Bearer ${supToken}` } })).json()) as T;
    const codes = Object.fromEntries((await get<Array<{ checkpoint: string; token: string }>>('/api/patrols/codes')).map((c) => [c.checkpoint, c.token]));
    const guard = new SimulatedGuard({ hubUrl: hub.url, username: 'g', password: 'pw', codes, serverClock: () => now, lateShare: 0, skipShare: 0, intents: { c3: 'skip', c5: 'late' }, rng: seeded(1) });
    await guard.start(false);
    patrols.tick();
    for (; now <= T0 + 50 * MIN; now += 20_000) {
      await guard.round();
      patrols.tick();
    }
    expect(guard.results.map((r) => [r.checkpoint, r.intent, r.result?.status ?? null])).toEqual([
      ['c1', 'on_time', 'on_time'], ['c2', 'on_time', 'on_time'], ['c3', 'skip', null], ['c4', 'on_time', 'on_time'], ['c5', 'late', 'late'], ['c6', 'on_time', 'on_time'],
    ]);
    const alarms = (await get<AlarmView[]>('/api/alarms')).filter((a) => a.id.startsWith('src:patrols:'));
    expect(alarms.map((a) => [a.id, a.priority, a.state]).sort()).toEqual([
      ['src:patrols:loop:c3:missed', 'high', 'rtn_unacknowledged'],
      ['src:patrols:loop:c5:late', 'medium', 'rtn_unacknowledged'],
      // Raised when c5's window closed, cleared by the late scan that came after.
      ['src:patrols:loop:c5:missed', 'high', 'rtn_unacknowledged'],
    ]);
    const rep = await get<ComplianceReport>(`/api/patrols/compliance?by=person&from=${T0 - 60 * MIN}&to=${T0 + 60 * MIN}`);
    expect(rep.rows).toMatchObject([{ key: 'g', planned: 6, onTime: 4, late: 1, missed: 1, compliance: 0.6667 }]);
  });
});
