// The whole loop in a real hub over loopback: an alarm opens a work order for the on-call
// electrician, who is told by e-mail (real SMTP server), WeCom and DingTalk robots (receiver
// checking the signature) and Web Push (decrypted by a local push service); the order goes through
// its lifecycle with version checks, photos, parts, escalation, verification and rating.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRow } from '../../contracts/alarms.js';
import type { ApiError, SessionInfo } from '../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/live.js';
import type { ConsoleNotification, WorkOrder, WorkOrderDetail, WorkOrderStats } from '../../contracts/workorders.js';
import { createAlarmsModule, type AlarmsModule } from '../alarms/index.js';
import { compileRules } from '../alarms/rules.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import { hashPassword } from '../auth/password.js';
import { buildCalendar } from '../control/calendar.js';
import { silentLogger } from '../log.js';
import type { DeliveryRow } from '../notify/types.js';
import { parseMail, startPushPeer, startRobotPeer, startSmtpPeer, waitUntil } from '../notify/test-peers.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../test-support.js';
import { createDispatchModule, type DispatchModule } from './index.js';
import { dispatchFileSchema } from './schema.js';

const PW = 'pw-for-tests';
const SECRET = 'SECdispatch-test';
const T1 = testPointId(0, 1); // a/l01/room-101
const MIN = 60_000;
let now = Date.parse('2026-03-04T10:00:00+08:00'); // a Wednesday
let hub: Hub;
let dataDir: string;
let driver: ScriptedDriver;
let alarms: AlarmsModule;
let dispatch: DispatchModule;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let robots: Awaited<ReturnType<typeof startRobotPeer>>;
let push: Awaited<ReturnType<typeof startPushPeer>>;
const tokens: Record<string, string> = {};
const sockets: Socket[] = [];

async function api<T>(path: string, init: RequestInit & { as?: string } = {}): Promise<{ status: number; body: T; type: string }> {
  const headers = new Headers(init.headers);
  if (init.as) headers.set('authorization', `Bearer ${tokens[init.as]}`);
  const res = await fetch(hub.url + path, { ...init, headers });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? JSON.parse(text) : text) as T, type };
}
const post = <T>(path: string, body: unknown, as?: string) => api<T>(path, { method: 'POST', as, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const stepAs = (as: string, id: number, body: Record<string, unknown>) => post<WorkOrder & ApiError>(`/api/workorders/${id}/steps`, body, as);

beforeAll(async () => {
  [smtp, robots, push] = await Promise.all([startSmtpPeer(), startRobotPeer(SECRET), startPushPeer()]);
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'wf-dispatch-'));
  const users = [['viewer', 'viewer'], ['guard', 'guard'], ['e1', 'maintainer'], ['e2', 'maintainer'], ['sup', 'supervisor'], ['mgr', 'admin']] as const;
  const config = testSiteConfig({ floors: 2, pointsPerFloor: 5, dataDir, users: users.map(([username, role]) => ({ username, role, passwordHash: hash })) });
  const file = dispatchFileSchema.parse({
    people: [
      { user: 'e1', email: 'e1@site.example', mobile: '13800000001', lang: 'zh-CN' },
      { user: 'e2', email: 'e2@site.example', mobile: '13800000002', lang: 'en' },
      { user: 'sup', email: 'sup@site.example', lang: 'en' },
      { user: 'mgr', email: 'mgr@site.example', lang: 'zh-CN' },
      { user: 'viewer', email: 'viewer@site.example', lang: 'en' },
    ],
    trades: [{ id: 'electrical', areas: ['a'] }],
    roster: { entries: [{ trade: 'electrical', workday: ['e1', 'e2'], supervisor: 'sup', manager: 'mgr' }] },
    sla: { critical: { respondMin: 5, fixMin: 60 }, high: { respondMin: 10, fixMin: 120 }, medium: { respondMin: 30, fixMin: 480 }, low: { respondMin: 60, fixMin: 1440 } },
    autoOrders: [{ rule: 'hot-101', trade: 'electrical', priority: 'high' }],
    unackedCriticalMin: 5,
    notify: {
      baseUrl: 'https://wf.example.gov.cn',
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'Watchfloor <wf@site.example>' },
      robots: [{ id: 'wecom-elec', type: 'wecom', url: `${robots.url}/wecom/elec` }, { id: 'ding-elec', type: 'dingtalk', url: `${robots.url}/dingtalk/elec`, secret: SECRET }],
      push: { subject: 'mailto:ops@site.example' },
      policies: [{ channels: ['email', 'wecom', 'dingtalk', 'push', 'console'] }],
      dedupWindowS: 0,
    },
  });
  const compiled = compileRules(alarmsFileSchema.parse({
    rules: [{ id: 'hot-101', type: 'limit', point: T1, priority: 'critical', limits: { high: { value: 50 } }, message: { en: 'Lamp circuit fault {value}', 'zh-CN': '灯具回路故障 {value}' } }],
  }), new Map(config.points.map((p) => [p.info.id, p.info])));
  driver = new ScriptedDriver();
  alarms = createAlarmsModule({ compiled, now: () => now, tickMs: 0, pushWindowMs: 20 });
  dispatch = createDispatchModule({ alarms: () => alarms.engine, file, calendar: buildCalendar({ holidays: [], workdays: [] }), now: () => now, tickMs: 0, notifyTickMs: 0 });
  hub = await createHub(config, { drivers: [driver], modules: [alarms, dispatch], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dataDir, 'no-console') });
  for (const [u] of users) tokens[u] = (await post<SessionInfo>('/api/auth/login', { username: u, password: PW })).body.token;
}, 30_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await hub?.stop();
  await Promise.all([smtp?.close(), robots?.close(), push?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dispatch in the hub', () => {
  it('refuses without a session, and bad input with a 400 naming the field', async () => {
    expect((await api('/api/workorders')).status).toBe(401);
    const bad = await post<ApiError>('/api/workorders', { title: 'x', trade: 'plumber', area: 'a' }, 'viewer');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^trade: /);
    expect((await api<ApiError>('/api/workorders/abc', { as: 'viewer' })).status).toBe(400);
    expect((await api<ApiError>('/api/workorders/999', { as: 'viewer' })).status).toBe(404);
    expect((await api<ApiError>('/api/workorders/stats', { as: 'e1' })).status).toBe(403);
  });

  it('escalates a missed deadline to the next person, then the supervisor, then the manager', async () => {
    const r = await post<WorkOrder>('/api/workorders', { title: 'Breaker tripped', trade: 'electrical', area: 'a/l02', priority: 'high' }, 'guard');
    now += 11 * MIN;
    dispatch.tick();
    let o = (await api<WorkOrderDetail>(`/api/workorders/${r.body.id}`, { as: 'guard' })).body;
    expect(o).toMatchObject({ escalation: 1, assignee: 'e2', state: 'assigned' });
    now += 11 * MIN;
    dispatch.tick();
    now += 11 * MIN;
    dispatch.tick();
    now += 11 * MIN;
    dispatch.tick(); // at the top already: nothing more
    o = (await api<WorkOrderDetail>(`/api/workorders/${r.body.id}`, { as: 'guard' })).body;
    expect(o.escalation).toBe(3);
    expect(o.timeline.filter((e) => e.kind === 'escalate').map((e) => e.note)).toEqual([
      'response deadline passed: level 1 → e2', 'response deadline passed: level 2 → sup', 'response deadline passed: level 3 → mgr',
    ]);
    const ofOrder = () => smtp.mails.filter((m) => parseMail(m.raw).headers.get('x-watchfloor-link')?.endsWith(`/#/workorders/${o.id}`));
    const mails = await waitUntil(() => (ofOrder().length >= 4 ? ofOrder() : undefined), 5000, 'escalation mails');
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['e1@site.example', 'e2@site.example', 'mgr@site.example', 'sup@site.example']);
    // A supervisor reassigns with a reason; a maintainer may not.
    expect((await stepAs('e1', o.id, { action: 'reassign', version: o.version, assignee: 'e1', note: 'mine' })).status).toBe(403);
    const re = await stepAs('sup', o.id, { action: 'reassign', version: o.version, assignee: 'e1', note: 'e2 is at the other campus' });
    expect(re.body).toMatchObject({ assignee: 'e1', escalation: 0, state: 'assigned' });
    expect((await stepAs('sup', o.id, { action: 'cancel', version: re.body.version })).status).toBe(400);
    expect((await stepAs('sup', o.id, { action: 'cancel', version: re.body.version, note: 'duplicate' })).body.state).toBe('cancelled');
  });

  // One story told in steps, each continuing the last (the order, its alarm, its ratings and the
  // statistics they add up to): one test, so no step depends on another test having run first.
  it('an alarm opens an order that goes through its lifecycle; a manual report is rated; a second activation opens a second order; the statistics add it all up', async () => {
    { // Step: an alarm opens an order for the on-call electrician, who hears of it on every channel
      // The peers and the delivery log are shared with the escalation test: look only at what arrives from here on.
      const [mails0, hits0, push0] = [smtp.mails.length, robots.hits.length, push.hits.length];
      const lastMessageBefore = Math.max(0, ...(await api<DeliveryRow[]>('/api/notify/deliveries', { as: 'sup' })).body.map((r) => r.messageId));
      const e1 = push.client('e1');
      expect((await post('/api/notify/subscriptions', e1.subscription, 'e1')).status).toBe(201);
      const sock: Socket<ServerToClientEvents, ClientToServerEvents> = connectClient(hub.url, { auth: { token: tokens.e1 }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(sock);
      await new Promise<void>((ok, fail) => { sock.once('connect', ok); sock.once('connect_error', fail); });
      const bell = new Promise<ConsoleNotification>((ok) => sock.once('notify:message', ok));

      driver.publish([{ pointId: T1, value: 61, quality: 'good', readTs: Date.now() }]);
      alarms.tick();
      dispatch.tick();
      const list = await api<WorkOrder[]>('/api/alarms/hot-101.h/workorders', { as: 'guard' });
      expect(list.body).toHaveLength(1);
      const o = list.body[0];
      expect(o).toMatchObject({ state: 'assigned', assignee: 'e1', source: 'alarm', trade: 'electrical', priority: 'high', area: 'a/l01/room-101', alarmId: 'hot-101.h', requester: 'system', version: 1 });
      dispatch.tick(); // the same activation never opens a second order
      expect((await api<WorkOrder[]>('/api/alarms/hot-101.h/workorders', { as: 'guard' })).body).toHaveLength(1);

      const link = `https://wf.example.gov.cn/#/workorders/${o.id}`;
      const mailOf = () => smtp.mails.slice(mails0).find((m) => m.to.includes('e1@site.example') && parseMail(m.raw).headers.get('x-watchfloor-link') === link);
      const mail = parseMail((await waitUntil(mailOf, 5000, 'the order mail')).raw);
      expect(mail.headers.get('subject')).toBe(`[高] 工单 #${o.id}：灯具回路故障 61 °C`);
      expect(mail.text).toContain(`https://wf.example.gov.cn/#/workorders/${o.id}`);
      const ofThisOrder = () => robots.hits.slice(hits0).filter((h) => JSON.stringify(h.body).includes(link));
      await waitUntil(() => (ofThisOrder().length >= 2 ? true : undefined), 5000, 'robots');
      const hits = ofThisOrder();
      expect(hits.find((h) => h.path === '/dingtalk/elec')!.signatureOk).toBe(true);
      expect(hits.find((h) => h.path === '/wecom/elec')!.body.text.mentioned_mobile_list).toEqual(['13800000001']);
      const pushed = await waitUntil(() => push.hits.slice(push0).find((h) => h.payload.url === link), 5000, 'push');
      expect(pushed.payload.url).toBe(`https://wf.example.gov.cn/#/workorders/${o.id}`);
      expect(pushed.vapidOk).toBe(true);
      expect((await bell).link).toBe(`#/workorders/${o.id}`);
      const inbox = await api<ConsoleNotification[]>('/api/notify/inbox', { as: 'e1' });
      expect(inbox.body[0].link).toBe(`#/workorders/${o.id}`);
      await dispatch.notifier!.idle();
      const log = await api<DeliveryRow[]>('/api/notify/deliveries', { as: 'sup' });
      expect(new Set(log.body.filter((r) => r.messageId > lastMessageBefore).map((r) => `${r.channel}:${r.status}`))).toEqual(new Set(['email:sent', 'wecom:sent', 'dingtalk:sent', 'push:sent', 'console:sent']));
    }

    { // Step: takes the order through its lifecycle; stale versions and wrong people are refused
      const [o] = (await api<WorkOrder[]>('/api/alarms/hot-101.h/workorders', { as: 'guard' })).body;
      expect((await stepAs('e2', o.id, { action: 'accept', version: 1 })).status).toBe(403);
      const accepted = await stepAs('e1', o.id, { action: 'accept', version: 1 });
      expect(accepted.body).toMatchObject({ state: 'accepted', version: 2 });
      // An offline phone replaying an old update is refused clearly, with the current order.
      const stale = await stepAs('e1', o.id, { action: 'accept', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toContain('changed since you saw it');
      expect((stale.body.error.details as { order: WorkOrder }).order.version).toBe(2);
      now += 2 * MIN;
      expect((await stepAs('e1', o.id, { action: 'depart', version: 2 })).body.state).toBe('en_route');
      now += 5 * MIN;
      expect((await stepAs('e1', o.id, { action: 'arrive', version: 3 })).body.state).toBe('on_site');

      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b7a1f00000000049454e44ae426082', 'hex');
      const photo = await post<WorkOrder>(`/api/workorders/${o.id}/photos`, { data: png.toString('base64'), version: 4 }, 'e1');
      expect(photo.status).toBe(201);
      expect(photo.body.photos).toEqual(['1.png']);
      const fake = await post<ApiError>(`/api/workorders/${o.id}/photos`, { data: Buffer.from('<svg onload=alert(1)>').toString('base64') }, 'e1');
      expect(fake.status).toBe(400);
      expect(fake.body.error.message).toContain('JPEG, PNG or WebP');
      expect((await post(`/api/workorders/${o.id}/photos`, { data: png.toString('base64') }, 'e2')).status).toBe(403);
      const img = await api<string>(`/api/workorders/${o.id}/photos/1.png`, { as: 'guard' });
      expect(img.type).toBe('image/png');
      expect((await api(`/api/workorders/${o.id}/photos/..%2F..%2Fworkorders.db`, { as: 'guard' })).status).toBe(404);

      expect((await stepAs('e1', o.id, { action: 'finish', version: 5 })).status).toBe(400);
      now += 20 * MIN;
      const done = await stepAs('e1', o.id, { action: 'finish', version: 5, workDone: 'replaced the contactor', parts: [{ name: 'contactor', qty: 1, damaged: true }, { name: 'fuse', qty: 2 }] });
      expect(done.body).toMatchObject({ state: 'done', workDone: 'replaced the contactor' });
      expect((await stepAs('e1', o.id, { action: 'verify', version: 6 })).status).toBe(403);
      expect((await stepAs('sup', o.id, { action: 'verify', version: 6 })).body.state).toBe('verified');
      expect((await stepAs('sup', o.id, { action: 'close', version: 7 })).body.state).toBe('closed');

      const detail = await api<WorkOrderDetail>(`/api/workorders/${o.id}`, { as: 'guard' });
      expect(detail.body.timeline.map((e) => `${e.kind}:${e.user}:${e.to}`)).toEqual([
        'create:system:assigned', 'accept:e1:accepted', 'depart:e1:en_route', 'arrive:e1:on_site', 'photo:e1:on_site', 'finish:e1:done', 'verify:sup:verified', 'close:sup:closed',
      ]);
      // Closing reports back to the alarm's note thread.
      const journal = await api<JournalRow[]>('/api/alarms/journal?alarm=hot-101.h', { as: 'guard' });
      expect(journal.body.some((r) => r.kind === 'comment' && r.comment?.includes(`work order #${o.id} closed`))).toBe(true);
    }

    { // Step: a manual 报修 by any signed-in user is rated by its requester once finished
      const r = await post<WorkOrder>('/api/workorders', { title: '三楼走廊灯不亮', trade: 'electrical', area: 'a/l01', device: 'hq/a/l01/corridor/lamp-3', priority: 'low' }, 'viewer');
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ source: 'manual', requester: 'viewer', assignee: 'e1', state: 'assigned' });
      expect((await post<ApiError>(`/api/workorders/${r.body.id}/rating`, { score: 5 }, 'viewer')).status).toBe(409);
      let v = r.body.version;
      for (const [action, extra] of [['accept', {}], ['arrive', {}], ['finish', { workDone: 'new LED tube' }]] as const) {
        v = (await stepAs('e1', r.body.id, { action, version: v, ...extra })).body.version;
      }
      expect((await post<ApiError>(`/api/workorders/${r.body.id}/rating`, { score: 6 }, 'viewer')).body.error.message).toContain('score');
      expect((await post<ApiError>(`/api/workorders/${r.body.id}/rating`, { score: 4 }, 'e1')).status).toBe(403);
      expect((await post<WorkOrder>(`/api/workorders/${r.body.id}/rating`, { score: 4, comment: '很快' }, 'viewer')).body.rating).toMatchObject({ score: 4, comment: '很快' });
      const verified = await stepAs('viewer', r.body.id, { action: 'verify', version: v + 1 });
      expect(verified.body.state).toBe('verified');
    }

    { // Step: a critical alarm unacknowledged for 5 minutes tells the on-call supervisor on every channel
      driver.publish([{ pointId: T1, value: 20, quality: 'good', readTs: Date.now() }]);
      alarms.tick();
      await post('/api/alarms/hot-101.h/ack', {}, 'guard');
      driver.publish([{ pointId: T1, value: 70, quality: 'good', readTs: Date.now() }]);
      alarms.tick();
      dispatch.tick();
      now += 6 * MIN;
      alarms.tick();
      dispatch.tick();
      const toSup = () => smtp.mails.filter((m) => m.to.includes('sup@site.example') && parseMail(m.raw).headers.get('subject')!.includes('Lamp circuit fault 70'));
      const mails = await waitUntil(() => (toSup().length > 0 ? toSup() : undefined), 5000, 'supervisor mail');
      expect(mails).toHaveLength(1);
      expect(parseMail(mails[0].raw).headers.get('subject')).toBe('[CRITICAL] Unacknowledged critical alarm: Lamp circuit fault 70 °C');
      await dispatch.notifier!.idle();
      const all = (await api<DeliveryRow[]>('/api/notify/deliveries?user=sup', { as: 'sup' })).body;
      const last = Math.max(...all.map((x) => x.messageId));
      const rows = all.filter((r) => r.messageId === last);
      expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['email', 'push', 'console', 'wecom', 'dingtalk']));
      // A second activation opened a second order for the same alarm.
      expect((await api<WorkOrder[]>('/api/alarms/hot-101.h/workorders', { as: 'guard' })).body).toHaveLength(2);
    }

    { // Step: statistics per trade, person and month, as JSON and CSV
      const s = await api<WorkOrderStats>('/api/workorders/stats?by=person', { as: 'sup' });
      const e1 = s.body.rows.find((r) => r.key === 'e1')!;
      expect(e1).toMatchObject({ partsUsed: 3, partsDamaged: 1, damageRate: 33.3, satisfaction: 4 });
      expect(e1.mttaMin).not.toBeNull();
      const csv = await api<string>('/api/workorders/stats?by=trade&format=csv', { as: 'sup' });
      expect(csv.type).toContain('text/csv');
      expect(csv.body.split('\r\n')[1]).toMatch(/^electrical,/);
      expect((await api<ApiError>('/api/workorders/stats?by=colour', { as: 'sup' })).status).toBe(400);
    }
  }, 120_000);

});
