// Dispatch benchmark (`npm run bench -- dispatch`):
// 1. latency: a sample raises an alarm in a real hub → the dispatch module opens a work order →
//    the on-call maintainer's e-mail reaches a real SMTP server, the WeCom and DingTalk robot
//    messages reach a webhook receiver (signature checked) and the Web Push message is decrypted by
//    a push service. Time from publish to the last of the four; p50/p95. Goal p95 ≤ 2 s.
// 2. flood: 500 alarms in one minute (site clock) → messages per recipient and channel (goal ≤ 5)
//    and the delivery log (goal: every one of the 500 messages accounted for as sent).
// 3. kill -9: a child hub killed while clients take orders through their lifecycle; transitions
//    acknowledged with 200 and lost after the restart (goal 0).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileRules } from '../hub/alarms/rules.js';
import { createAlarmsModule } from '../hub/alarms/index.js';
import { alarmsFileSchema } from '../hub/alarms/schema.js';
import { hashPassword } from '../hub/auth/password.js';
import { buildCalendar } from '../hub/control/calendar.js';
import { silentLogger } from '../hub/log.js';
import { parseMail, startPushPeer, startRobotPeer, startSmtpPeer, waitUntil } from '../hub/notify/test-peers.js';
import { createHub } from '../hub/server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../hub/test-support.js';
import { killMidLifecycle } from '../hub/workorders/crash-harness.js';
import { createDispatchModule } from '../hub/workorders/index.js';
import { dispatchFileSchema } from '../hub/workorders/schema.js';

const SECRET = 'SECbench';
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function site(n: number, floors: number, overNotify: Record<string, unknown>, now?: () => number) {
  const [smtp, robots, push] = await Promise.all([startSmtpPeer(), startRobotPeer(SECRET), startPushPeer()]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-dispatch-'));
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors, pointsPerFloor: Math.ceil(n / floors), dataDir, users: [{ username: 'e1', role: 'maintainer', passwordHash: hash }, { username: 'sup', role: 'supervisor', passwordHash: hash }] });
  const points = config.points.slice(0, n).map((p) => p.info.id);
  const rules = points.map((p, i) => ({ id: `r-${i}`, type: 'limit' as const, point: p, priority: 'high' as const, limits: { high: { value: 50 } }, message: { en: `Fault ${i}`, 'zh-CN': `故障 ${i}` } }));
  const compiled = compileRules(alarmsFileSchema.parse({ rules }), new Map(config.points.map((p) => [p.info.id, p.info])));
  const file = dispatchFileSchema.parse({
    people: [{ user: 'e1', email: 'e1@bench.example', mobile: '13800000001' }, { user: 'sup', email: 'sup@bench.example' }],
    trades: [{ id: 'electrical', areas: ['a'] }],
    roster: { entries: [{ trade: 'electrical', workday: ['e1'], weekend: ['e1'], holiday: ['e1'], night: ['e1'], supervisor: 'sup', manager: 'sup' }] },
    autoOrders: rules.map((r) => ({ rule: r.id, trade: 'electrical' })),
    notify: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'wf@bench.example' },
      robots: [{ id: 'wecom', type: 'wecom', url: `${robots.url}/wecom/k` }, { id: 'ding', type: 'dingtalk', url: `${robots.url}/dingtalk/k`, secret: SECRET }],
      push: { subject: 'mailto:ops@bench.example' },
      policies: [{ channels: ['email', 'wecom', 'dingtalk', 'push', 'console'] }],
      ...overNotify,
    },
  });
  const driver = new ScriptedDriver();
  const alarms = createAlarmsModule({ compiled, ...(now ? { now, tickMs: 0 } : {}) });
  const dispatch = createDispatchModule({ alarms: () => alarms.engine, file, calendar: buildCalendar({ holidays: [], workdays: [] }), ...(now ? { now, tickMs: 0, notifyTickMs: 0 } : {}) });
  const hub = await createHub(config, { drivers: [driver], modules: [alarms, dispatch], log: silentLogger(), listen: { port: 0 }, consoleDir: path.join(dataDir, 'none') });
  const client = push.client('e1');
  dispatch.deliveries!.saveSubscription('e1', client.subscription, Date.now());
  return {
    smtp, robots, push, driver, alarms, dispatch, points,
    async close() {
      await hub.stop();
      await Promise.all([smtp.close(), robots.close(), push.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function latency(rounds: number) {
  // The flood limiter would fold back-to-back test alarms into a digest: a burst as large as the run.
  const s = await site(rounds, 1, { burst: rounds + 5, dedupWindowS: 0 });
  const out: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      s.driver.publish([{ pointId: s.points[i], value: 60, quality: 'good', readTs: Date.now() }]);
      const link = (id: number) => `/#/workorders/${id}`;
      const order = await waitUntil(() => {
        try {
          return s.dispatch.service!.get(i + 1);
        } catch {
          return undefined; // not created yet
        }
      }, 5000, 'order');
      const l = link(order.id);
      await waitUntil(() => (s.smtp.mails.some((m) => parseMail(m.raw).headers.get('x-watchfloor-link')?.endsWith(l)) ? true : undefined), 10_000, 'mail');
      await waitUntil(() => (s.robots.hits.filter((h) => JSON.stringify(h.body).includes(l)).length >= 2 ? true : undefined), 10_000, 'robots');
      await waitUntil(() => (s.push.hits.some((h) => String(h.payload.url).endsWith(l)) ? true : undefined), 10_000, 'push');
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { p50: pct(out, 50), p95: pct(out, 95), max: Math.max(...out), signaturesOk: s.robots.hits.filter((h) => h.path.startsWith('/dingtalk')).every((h) => h.signatureOk), pushVapidOk: s.push.hits.every((h) => h.vapidOk) };
  } finally {
    await s.close();
  }
}

export async function flood(n: number) {
  let now = Date.parse('2026-03-04T10:00:00+08:00');
  const s = await site(n, 5, {}, () => now);
  try {
    for (let i = 0; i < n; i++) {
      s.driver.publish([{ pointId: s.points[i], value: 60, quality: 'good', readTs: Date.now() }]);
      s.alarms.tick();
      s.dispatch.tick();
      s.dispatch.notifier!.flush();
      now += 60_000 / n; // 500 alarms in one minute of site time
      await new Promise((r) => setImmediate(r)); // alarms arrive one by one, not in one blocking loop
    }
    for (let k = 0; k < 4; k++) {
      now += 61_000;
      s.dispatch.notifier!.flush();
      await s.dispatch.notifier!.idle();
    }
    // Retries of failed deliveries run on the real clock: wait for them.
    await waitUntil(() => (s.dispatch.notifier!.pending() === 0 ? true : undefined), 60_000, 'deliveries to settle').catch(() => undefined);
    const log = s.dispatch.deliveries!;
    const orders = s.dispatch.service!;
    let created = 0;
    for (let id = 1; id <= n; id++) {
      try {
        orders.get(id);
        created++;
      } catch {
        /* missing */
      }
    }
    const counts = log.counts();
    return {
      alarms: n,
      ordersCreated: created,
      messagesPerRecipient: {
        email: s.smtp.mails.filter((m) => m.to.includes('e1@bench.example')).length,
        wecom: s.robots.hits.filter((h) => h.path === '/wecom/k').length,
        dingtalk: s.robots.hits.filter((h) => h.path === '/dingtalk/k').length,
        push: s.push.hits.length,
      },
      deliveryLog: counts,
      unaccounted: Object.entries(counts).filter(([k]) => k !== 'sent').reduce((a, [, v]) => a + v, 0),
    };
  } finally {
    await s.close();
  }
}

export async function benchDispatch(): Promise<Record<string, number | string>> {
  const lat = await latency(40);
  const fl = await flood(500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-wo-crash-'));
  const crash = await killMidLifecycle(dir, { runMs: 3000, minAcked: 40 }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    'alarm→order→4 peers p50 ms': lat.p50,
    'alarm→order→4 peers p95 ms (goal ≤ 2000)': lat.p95,
    'alarm→order→4 peers max ms': lat.max,
    'dingtalk signatures ok / push VAPID ok': `${lat.signaturesOk} / ${lat.pushVapidOk}`,
    'flood: alarms / orders created': `${fl.alarms} / ${fl.ordersCreated}`,
    'flood: messages per recipient (goal ≤ 5)': JSON.stringify(fl.messagesPerRecipient),
    'flood: delivery log by status': JSON.stringify(fl.deliveryLog),
    'flood: deliveries not sent (goal 0)': fl.unaccounted,
    'kill -9: transitions acknowledged': crash.acknowledged,
    'kill -9: requests in flight at kill': crash.inFlightAtKill,
    'kill -9: acknowledged and lost (goal 0)': crash.lost.length,
    'machine load (1 min)': os.loadavg()[0].toFixed(2),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchDispatch());
}
