// Patrols in a real hub over loopback: a guard's tour with signed codes, replay and forgery
// refused, missed / late / out-of-order checkpoints as ISA-18.2 alarms, rotation, a supervisor's
// override for manual entry, an offline scan judged by server time, a failed cleaning item that
// opens a work order, live status over Socket.IO and the compliance report (JSON and CSV).
//
// Every test gets its own hub (fresh data dir, store, alarms, audit) at 21:30 of the same evening
// and plays the part of the evening it needs through the helpers below, so the tests pass in any
// order (`--sequence.shuffle`). Only the password hash is shared: a hub starts in ~0.1 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import type { ApiError, SessionInfo } from '../../contracts/api.js';
import type { ComplianceReport, RunStatus, ScanResult } from '../../contracts/patrols.js';
import type { WorkOrderDetail } from '../../contracts/workorders.js';
import { createAlarmsModule } from '../alarms/index.js';
import { compileRules } from '../alarms/rules.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import { hashPassword } from '../auth/password.js';
import { buildCalendar } from '../control/calendar.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testSiteConfig } from '../test-support.js';
import { createDispatchModule } from '../workorders/index.js';
import { dispatchFileSchema } from '../workorders/schema.js';
import { createPatrolsModule, type PatrolsModule } from './index.js';
import { patrolsFileSchema } from './schema.js';

const PW = 'pw-for-tests';
const MIN = 60_000;
const T0 = Date.parse('2026-03-04T22:00:00+08:00'); // a Wednesday night
const USERS = [['viewer', 'viewer'], ['guard', 'guard'], ['cleaner', 'maintainer'], ['sup', 'supervisor'], ['mgr', 'admin']] as const;
let passwordHash: string;
// Per test (reset in beforeEach):
let now: number;
let hub: Hub;
let dataDir: string;
let patrols: PatrolsModule;
let tokens: Record<string, string>;
let codes: Record<string, string>;
let sockets: Socket[];
let n = 0;

async function api<T>(path: string, init: RequestInit & { as?: string } = {}): Promise<{ status: number; body: T; type: string }> {
  const headers = new Headers(init.headers);
  if (init.as) headers.set('authorization', `Bearer ${tokens[init.as]}`);
  const res = await fetch(hub.url + path, { ...init, headers });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? JSON.parse(text) : text) as T, type };
}
const post = <T>(path: string, body: unknown, as?: string) => api<T>(path, { method: 'POST', as, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const scan = (as: string, body: Record<string, unknown>) => post<ScanResult & ApiError>('/api/patrols/scans', { scanId: `scan-${String(++n).padStart(6, '0')}`, ...body }, as);
const at = (m: number) => T0 + m * MIN;
const patrolAlarms = async (tour = 'night') => (await api<AlarmView[]>('/api/alarms', { as: 'sup' })).body.filter((a) => a.id.startsWith(`src:patrols:${tour}:`));
const PHOTO = `data:image/jpeg;base64,${Buffer.from('not really a jpeg but bytes').toString('base64')}`;

function siteFiles() {
  const dispatchFile = dispatchFileSchema.parse({
    people: [{ user: 'cleaner', lang: 'zh-CN' }, { user: 'sup', lang: 'en' }, { user: 'mgr', lang: 'en' }],
    trades: [{ id: 'cleaning', areas: ['a'] }],
    roster: { entries: [{ trade: 'cleaning', workday: ['cleaner'], night: ['cleaner'], supervisor: 'sup', manager: 'mgr' }] },
    sla: { critical: { respondMin: 5, fixMin: 60 }, high: { respondMin: 10, fixMin: 120 }, medium: { respondMin: 30, fixMin: 480 }, low: { respondMin: 60, fixMin: 1440 } },
    notify: { policies: [{ channels: ['console'] }], dedupWindowS: 0 },
  });
  const name = (s: string) => ({ en: s, 'zh-CN': s });
  const patrolsFile = patrolsFileSchema.parse({
    shifts: [{ id: 'night', name: name('Night'), from: '20:00', to: '08:00' }],
    checkpoints: [
      { id: 'gate', name: name('Gate'), area: 'site/gate' },
      { id: 'lobby', name: name('Lobby'), area: 'a/l01/room-101', position: { x: 3, y: 4 } },
      { id: 'stairs', name: name('Stairs'), area: 'a/l01' },
      { id: 'office', name: name('Office'), area: 'a/l02/room-201' },
      { id: 'wc', name: name('WC'), area: 'a/l02', checklist: [{ id: 'floor', label: name('Floor') }, { id: 'soap', label: name('Soap') }] },
    ],
    tours: [
      { id: 'night', name: name('Night round'), area: 'a', maxGapMin: 15, assign: { user: 'guard' }, runs: [{ shift: 'night', at: '22:00' }],
        checkpoints: [{ checkpoint: 'gate', atMin: 0, windowMin: 3 }, { checkpoint: 'lobby', atMin: 5, windowMin: 3 }, { checkpoint: 'stairs', atMin: 10, windowMin: 3 }, { checkpoint: 'office', atMin: 15, windowMin: 3 }] },
      { id: 'clean', name: name('WC check'), kind: 'cleaning', area: 'a', maxGapMin: 30, assign: { roster: 'cleaning' }, workOrderTrade: 'cleaning', runs: [{ shift: 'night', at: '22:00' }],
        checkpoints: [{ checkpoint: 'wc', atMin: 0, windowMin: 5 }] },
    ],
  });
  return { dispatchFile, patrolsFile };
}

/** A fresh hub at 21:30 with its own data dir, sessions for every user and the printed codes. */
async function startHub(): Promise<void> {
  now = T0 - 30 * MIN;
  sockets = [];
  dataDir = mkdtempSync(join(tmpdir(), 'wf-patrols-'));
  const config = testSiteConfig({ floors: 2, pointsPerFloor: 1, dataDir, users: USERS.map(([username, role]) => ({ username, role, passwordHash })) });
  const { dispatchFile, patrolsFile } = siteFiles();
  const calendar = buildCalendar({ holidays: [], workdays: [] });
  const alarms = createAlarmsModule({ compiled: compileRules(alarmsFileSchema.parse({}), new Map()), now: () => now, tickMs: 0, pushWindowMs: 20 });
  const dispatch = createDispatchModule({ alarms: () => alarms.engine, file: dispatchFile, calendar, now: () => now, tickMs: 0, notifyTickMs: 0 });
  patrols = createPatrolsModule({ alarms: () => alarms.engine, dispatch: () => dispatch.service, file: patrolsFile, calendar, now: () => now, tickMs: 0 });
  hub = await createHub(config, { drivers: [new ScriptedDriver()], modules: [alarms, dispatch, patrols], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dataDir, 'no-console') });
  tokens = {};
  for (const [u] of USERS) tokens[u] = (await post<SessionInfo>('/api/auth/login', { username: u, password: PW })).body.token;
  const list = await api<Array<{ checkpoint: string; token: string }>>('/api/patrols/codes', { as: 'sup' });
  codes = Object.fromEntries(list.body.map((c) => [c.checkpoint, c.token]));
}

// The parts of the evening, each asserting that it went as planned so a broken step fails where it
// happens rather than in a later assertion of the test that needed it.
async function gateOnTime(): Promise<void> {
  now = at(0.5);
  expect((await scan('guard', { token: codes.gate })).body).toMatchObject({ checkpoint: 'gate', status: 'on_time' });
}
async function lobbyOnTime(): Promise<void> {
  now = at(5);
  expect((await scan('guard', { token: codes.lobby })).body).toMatchObject({ checkpoint: 'lobby', status: 'on_time' });
}
/** The cleaner's WC check, seen at 22:04 offline with a failed item, received at 22:08. */
async function wcOfflineWithFailedItem(): Promise<ScanResult & ApiError> {
  now = at(8);
  const off = await scan('cleaner', { token: codes.wc, answers: { floor: false, soap: true }, rating: 2, photo: PHOTO, offline: true, clientTs: at(4) });
  expect([off.status, off.body.status]).toEqual([201, 'late']);
  return off.body;
}
/** Stairs missed at 22:13, scanned late at 22:14. */
async function stairsMissedThenLate(): Promise<void> {
  now = at(13) + 1;
  patrols.tick();
  now = at(14);
  expect((await scan('guard', { token: codes.stairs })).body).toMatchObject({ checkpoint: 'stairs', status: 'late' });
}
async function ackStairsMissed(): Promise<void> {
  expect((await post(`/api/alarms/${encodeURIComponent('src:patrols:night:stairs:missed')}/ack`, { comment: 'guard was delayed' }, 'sup')).status).toBe(200);
}
/** The office entered by hand at 22:15 with a supervisor's override. */
async function officeManual(): Promise<void> {
  const ov = await post<{ code: string }>('/api/patrols/overrides', { checkpoint: 'office', forUser: 'guard' }, 'sup');
  now = at(15);
  expect((await scan('guard', { manual: { checkpoint: 'office', overrideCode: ov.body.code } })).body).toMatchObject({ checkpoint: 'office', status: 'on_time', manualBy: 'sup' });
}

beforeAll(async () => {
  passwordHash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
});

beforeEach(startHub, 30_000);

afterEach(async () => {
  for (const s of sockets) s.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('patrols in the hub', () => {
  it('needs a session and the right permission, and names bad input', async () => {
    expect((await api('/api/patrols/status')).status).toBe(401);
    expect((await api('/api/patrols/status', { as: 'guard' })).status).toBe(403);
    expect((await api('/api/patrols/codes', { as: 'guard' })).status).toBe(403);
    expect((await scan('viewer', { token: codes.gate })).status).toBe(403);
    const bad = await scan('guard', { token: codes.gate, rating: 9 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^rating: /);
    expect((await post<ApiError>('/api/patrols/scans', { scanId: 'x' }, 'guard')).body.error.message).toMatch(/^scanId: /);
    expect((await api<ApiError>('/api/patrols/compliance?by=planet', { as: 'sup' })).status).toBe(400);
    expect(Object.keys(codes).sort()).toEqual(['gate', 'lobby', 'office', 'stairs', 'wc']);
  });

  it('shows the runs of the evening (the cleaning one assigned from the roster) and streams changes', async () => {
    patrols.tick();
    const mine = await api<{ runs: RunStatus[] }>('/api/patrols/mine', { as: 'guard' });
    expect(mine.body.runs.map((r) => [r.runId, r.state, r.assignee])).toEqual([['night@2026-03-04T22:00', 'upcoming', 'guard']]);
    const all = await api<{ runs: RunStatus[] }>('/api/patrols/status', { as: 'sup' });
    expect(all.body.runs.map((r) => [r.tour, r.assignee])).toEqual([['clean', 'cleaner'], ['night', 'guard']]);

    const sock = connectClient(hub.url, { auth: { token: tokens.sup }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(sock);
    await new Promise<void>((ok, fail) => { sock.once('connect', ok); sock.once('connect_error', fail); });
    const ack = await new Promise<{ ok: boolean; runs?: RunStatus[] }>((ok) => sock.emit('patrols:subscribe', ok));
    expect(ack.ok && ack.runs?.length).toBe(2);
    const update = new Promise<RunStatus[]>((ok) => sock.once('patrols:update', ok));

    now = at(0.5);
    const r = await scan('guard', { token: codes.gate, clientTs: now - 1000 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ checkpoint: 'gate', runId: 'night@2026-03-04T22:00', status: 'on_time', serverTs: now, offline: false, outOfOrder: false });
    const pushed = await update;
    expect(pushed[0]).toMatchObject({ runId: 'night@2026-03-04T22:00', state: 'in_progress', last: { checkpoint: 'gate', by: 'guard', area: 'site/gate' } });
  });

  it('refuses a replayed scan id, a forged code, a guessed id and a second scan of the same checkpoint', async () => {
    await gateOnTime();
    now = at(5);
    const first = await post<ScanResult>('/api/patrols/scans', { scanId: 'replay-0001', token: codes.lobby }, 'guard');
    expect([first.status, first.body.status]).toEqual([201, 'on_time']);
    const again = await post<ApiError>('/api/patrols/scans', { scanId: 'replay-0001', token: codes.lobby }, 'guard');
    expect([again.status, again.body.error.code]).toEqual([409, 'replayed_scan']);
    const forged = codes.stairs.slice(0, -4) + (codes.stairs.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await scan('guard', { token: forged })).body.error.code).toBe('token_bad_signature');
    expect((await scan('guard', { token: codes.office.replace('office', 'vault') })).body.error.code).toBe('token_unknown_checkpoint');
    const dup = await scan('guard', { token: codes.gate });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'already_scanned']);
    const audit = hub.audit.query({}).filter((e) => e.action.startsWith('patrol.')).reverse();
    expect(audit.filter((e) => e.action === 'patrol.scan').map((e) => e.target)).toEqual(['gate', 'lobby']);
    expect(audit.filter((e) => e.action === 'patrol.scan_refused').map((e) => e.details?.reason)).toEqual(['replayed', 'bad_signature', 'unknown_checkpoint']);
  });

  it('a failed cleaning item needs a photo and opens a work order for the roster; an offline scan is judged by server time', async () => {
    now = at(8);
    const noPhoto = await scan('cleaner', { token: codes.wc, answers: { floor: false, soap: true } });
    expect([noPhoto.status, noPhoto.body.error.code]).toEqual([400, 'photo_required']);
    // Seen at 22:04 (in the window) while offline, received at 22:08 (after it closed).
    const off = await scan('cleaner', { token: codes.wc, answers: { floor: false, soap: true }, rating: 2, photo: PHOTO, offline: true, clientTs: at(4) });
    expect(off.status).toBe(201);
    expect(off.body).toMatchObject({ status: 'late', claimedStatus: 'on_time', offline: true, clientTs: at(4) });
    const wo = await api<WorkOrderDetail>(`/api/workorders/${off.body.workOrder}`, { as: 'sup' });
    expect(wo.body).toMatchObject({ source: 'patrol', trade: 'cleaning', assignee: 'cleaner', area: 'a/l02' });
    expect(wo.body.description).toContain('Floor');
  });

  it('a missed checkpoint becomes an alarm when its window closes; a late scan turns it into a late alarm', async () => {
    await gateOnTime();
    await lobbyOnTime();
    now = at(13) + 1; // stairs' window (7..13) closed unscanned
    patrols.tick();
    let list = await patrolAlarms();
    expect(list.map((a) => [a.id, a.priority, a.state])).toEqual([['src:patrols:night:stairs:missed', 'high', 'unacknowledged']]);
    expect(list[0].message).toEqual({ en: 'Patrol checkpoint missed: Stairs (Night round)', 'zh-CN': '巡更漏检：Stairs（Night round）' });
    expect(list[0].area).toBe('a/l01');

    now = at(14);
    const late = await scan('guard', { token: codes.stairs });
    expect(late.body).toMatchObject({ status: 'late', checkpoint: 'stairs' });
    list = await patrolAlarms();
    expect(Object.fromEntries(list.map((a) => [a.id, [a.priority, a.state]]))).toEqual({
      'src:patrols:night:stairs:late': ['medium', 'unacknowledged'],
      'src:patrols:night:stairs:missed': ['high', 'rtn_unacknowledged'],
    });
    expect((await post(`/api/alarms/${encodeURIComponent('src:patrols:night:stairs:missed')}/ack`, { comment: 'guard was delayed' }, 'sup')).status).toBe(200);
  });

  it('manual entry needs a supervisor override, used once and recorded', async () => {
    now = at(14);
    const refused = await scan('guard', { manual: { checkpoint: 'office', overrideCode: '12345678' } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'override_required']);
    expect((await post('/api/patrols/overrides', { checkpoint: 'office' }, 'guard')).status).toBe(403);
    const ov = await post<{ code: string; expiresAt: number }>('/api/patrols/overrides', { checkpoint: 'office', forUser: 'guard' }, 'sup');
    expect(ov.status).toBe(201);
    expect(ov.body.code).toMatch(/^\d{8}$/);
    expect((await scan('guard', { manual: { checkpoint: 'lobby', overrideCode: ov.body.code } })).status).toBe(403);
    now = at(15);
    const ok = await scan('guard', { manual: { checkpoint: 'office', overrideCode: ov.body.code } });
    expect(ok.body).toMatchObject({ status: 'on_time', manualBy: 'sup', checkpoint: 'office' });
    expect((await scan('guard', { manual: { checkpoint: 'office', overrideCode: ov.body.code } })).status).toBe(403);
    expect(hub.audit.query({}).find((e) => e.action === 'patrol.scan' && e.target === 'office')?.details).toMatchObject({ manualBy: 'sup', status: 'on_time' });
  });

  it('rotation invalidates the printed code; the new one works', async () => {
    await gateOnTime();
    const old = codes.gate;
    const rot = await post<{ version: number }>('/api/patrols/checkpoints/gate/rotate', {}, 'sup');
    expect(rot.body.version).toBe(2);
    expect((await scan('guard', { token: old })).body.error.code).toBe('token_rotated');
    const fresh = (await api<Array<{ checkpoint: string; token: string }>>('/api/patrols/codes', { as: 'sup' })).body.find((c) => c.checkpoint === 'gate')!.token;
    expect(fresh).not.toBe(old);
    // The new code passes the signature check; the gate was already scanned in this run.
    const res = await scan('guard', { token: fresh });
    expect([res.status, res.body.error.code]).toEqual([409, 'already_scanned']);
    expect(hub.audit.query({}).some((e) => e.action === 'patrol.rotate' && e.target === 'gate')).toBe(true);
  });

  it('reports compliance per tour and person, as JSON and CSV, once the runs are over', async () => {
    // The whole evening: night round 3 on time (one entered by hand) and 1 late; the WC check
    // late (offline) with one of two items failed and a rating of 2.
    await gateOnTime();
    await lobbyOnTime();
    await wcOfflineWithFailedItem();
    await stairsMissedThenLate();
    await ackStairsMissed();
    await officeManual();

    now = at(60);
    patrols.tick();
    expect((await api<{ runs: RunStatus[] }>('/api/patrols/status', { as: 'sup' })).body.runs).toEqual([]);
    const q = `from=${at(-60)}&to=${at(120)}`;
    const rep = await api<ComplianceReport>(`/api/patrols/compliance?by=tour&${q}`, { as: 'sup' });
    expect(rep.body.rows.map((r) => [r.key, r.planned, r.onTime, r.late, r.missed, r.manual, r.offline, r.compliance, r.meanRating, r.itemsPassed])).toEqual([
      ['clean', 1, 0, 1, 0, 0, 1, 0, 2, 0.5],
      ['night', 4, 3, 1, 0, 1, 0, 0.75, null, null],
    ]);
    const person = await api<ComplianceReport>(`/api/patrols/compliance?by=person&${q}`, { as: 'sup' });
    expect(person.body.rows.map((r) => r.key)).toEqual(['cleaner', 'guard']);
    const csv = await api<string>(`/api/patrols/compliance?by=tour&format=csv&${q}`, { as: 'sup' });
    expect(csv.type).toContain('text/csv');
    expect(csv.body.split('\r\n')[2]).toBe('night,1,4,3,0,1,0,0,1,0,0.75,,');
    // The late alarm of the finished run returned to normal and waits for its acknowledgement.
    expect((await patrolAlarms()).map((a) => [a.id, a.state])).toEqual([['src:patrols:night:stairs:late', 'rtn_unacknowledged']]);
  });
});
