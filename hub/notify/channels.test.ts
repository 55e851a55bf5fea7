// Every channel against a real peer on loopback: SMTP server, WeCom/DingTalk robot receiver with
// signature check, and a push service that decrypts the payload with the subscription's key.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifySchema, type Person } from '../workorders/schema.js';
import { DeliveryLog } from './log.js';
import { Notifier } from './notifier.js';
import { dingtalkSign, RobotChannel } from './robots.js';
import { SmtpChannel } from './smtp.js';
import { parseMail, startPushPeer, startRobotPeer, startSmtpPeer, waitUntil } from './test-peers.js';
import type { Message } from './types.js';
import { loadOrCreateVapid, WebPushChannel } from './webpush.js';

const SECRET = 'SECtest0123456789abcdef';
let dir: string;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let robots: Awaited<ReturnType<typeof startRobotPeer>>;
let push: Awaited<ReturnType<typeof startPushPeer>>;
let log: DeliveryLog;
const closers: Array<() => unknown> = [];

const people = new Map<string, Person>([
  ['li', { user: 'li', email: 'li@site.example', mobile: '13800000001', lang: 'zh-CN' }],
  ['ann', { user: 'ann', email: 'ann@site.example', mobile: '13800000002', lang: 'en' }],
  ['nomail', { user: 'nomail', lang: 'en' }],
]);

const msg = (key: string, priority: Message['priority'] = 'high'): Message => ({
  key, priority, trade: 'electrical', area: 'a/l03',
  title: { en: 'Work order #7: lamp fault', 'zh-CN': '工单 #7：灯具故障' },
  body: { en: 'Assigned to you. Respond within 30 min.', 'zh-CN': '已派给您，请在 30 分钟内响应。' },
  link: '#/workorders/7',
});

function makeNotifier(over: Record<string, unknown> = {}) {
  const config = notifySchema.parse({ baseUrl: 'https://wf.example.gov.cn', retryBaseMs: 20, ...over });
  const smtpCh = new SmtpChannel({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Watchfloor <wf@site.example>' });
  closers.push(() => smtpCh.close());
  const vapid = loadOrCreateVapid(join(dir, 'notify'));
  const n = new Notifier({
    config, people, timezone: 'Asia/Shanghai', log,
    channels: { email: smtpCh, push: new WebPushChannel(vapid, 'mailto:ops@site.example', (u) => log.subscriptions(u), (e) => log.forgetSubscription(e)) },
    robots: [
      { id: 'wecom-ops', channel: new RobotChannel('wecom', `${robots.url}/wecom/key-1`), lang: 'zh-CN' },
      { id: 'ding-ops', channel: new RobotChannel('dingtalk', `${robots.url}/dingtalk/send?access_token=tok`, SECRET), lang: 'zh-CN' },
    ],
    tickMs: 0,
  });
  closers.push(() => n.close());
  return n;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wf-notify-'));
  [smtp, robots, push] = await Promise.all([startSmtpPeer(), startRobotPeer(SECRET), startPushPeer()]);
  log = new DeliveryLog(join(dir, 'notify'));
});

afterAll(async () => {
  for (const c of closers.reverse()) await c();
  log.close();
  await Promise.all([smtp.close(), robots.close(), push.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('notification channels against real peers', () => {
  // The peers are shared; what they received belongs to the test that sent it (the suite runs shuffled).
  beforeEach(() => {
    smtp.mails.length = 0;
    robots.hits.length = 0;
    robots.failNext.count = 0;
    push.hits.length = 0;
  });

  it('one message reaches SMTP (zh-CN and en), WeCom, DingTalk (signed) and Web Push (decrypted)', async () => {
    const li = push.client('li');
    log.saveSubscription('li', li.subscription, Date.now());
    const n = makeNotifier();
    const id = n.notify(msg('wo:7:assigned'), ['li', 'ann']);
    await n.idle();

    const mails = await smtp.waitFor(2);
    const zh = parseMail(mails.find((m) => m.to.includes('li@site.example'))!.raw);
    const en = parseMail(mails.find((m) => m.to.includes('ann@site.example'))!.raw);
    expect(zh.headers.get('subject')).toBe('[高] 工单 #7：灯具故障');
    expect(en.headers.get('subject')).toBe('[High] Work order #7: lamp fault');
    expect(zh.headers.get('from')).toBe('Watchfloor <wf@site.example>');
    expect(zh.headers.get('content-language')).toBe('zh-CN');
    expect(en.headers.get('x-watchfloor-link')).toBe('https://wf.example.gov.cn/#/workorders/7');
    expect(en.headers.get('x-priority')).toMatch(/^1/);
    expect(zh.text).toContain('已派给您，请在 30 分钟内响应。');
    expect(zh.text).toContain('打开: https://wf.example.gov.cn/#/workorders/7');
    expect(en.text).toContain('Assigned to you. Respond within 30 min.');
    expect(en.html).toContain('href="https://wf.example.gov.cn/#/workorders/7"');

    const wecom = robots.hits.find((h) => h.path === '/wecom/key-1')!;
    expect(wecom.body).toEqual({
      msgtype: 'text',
      text: { content: expect.stringContaining('工单 #7：灯具故障'), mentioned_mobile_list: ['13800000001', '13800000002'] },
    });
    const ding = robots.hits.find((h) => h.path === '/dingtalk/send')!;
    expect(ding.signatureOk).toBe(true);
    expect(ding.query.get('access_token')).toBe('tok');
    expect(Object.keys(ding.body).sort()).toEqual(['at', 'markdown', 'msgtype']);
    expect(ding.body.msgtype).toBe('markdown');
    expect(ding.body.markdown.title).toBe('[高] 工单 #7：灯具故障');
    expect(ding.body.markdown.text).toContain('(https://wf.example.gov.cn/#/workorders/7)');
    expect(ding.body.markdown.text).toContain('@13800000001');
    expect(ding.body.at).toEqual({ atMobiles: ['13800000001', '13800000002'], isAtAll: false });

    const hit = await waitUntil(() => push.hits[0], 5000, 'push');
    expect(hit.vapidOk).toBe(true);
    expect(hit.headers.urgency).toBe('high');
    expect(Number(hit.headers.ttl)).toBeGreaterThan(0);
    expect(hit.payload).toMatchObject({ title: '[高] 工单 #7：灯具故障', url: 'https://wf.example.gov.cn/#/workorders/7' });

    const rows = log.deliveries({ messageId: id });
    const byChannel = Object.fromEntries(rows.map((r) => [`${r.channel}:${r.address}`, r.status]));
    expect(byChannel).toEqual({
      'email:li@site.example': 'sent', 'email:ann@site.example': 'sent', 'push:li': 'sent', 'push:ann': 'failed',
      'wecom:wecom-ops': 'sent', 'dingtalk:ding-ops': 'sent',
    });
    expect(rows.find((r) => r.channel === 'push' && r.address === 'ann')!.reason).toContain('no push subscription');
  });

  it('the DingTalk signature is HMAC-SHA256 of timestamp + "\\n" + secret, base64, urlencoded', () => {
    // Same inputs as DingTalk's documented Java/Python sample computes.
    expect(decodeURIComponent(dingtalkSign(1_700_000_000_000, 'SECabc'))).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(dingtalkSign(1, 's')).toBe(encodeURIComponent(createHmac('sha256', 's').update('1\ns').digest('base64')));
  });

  it('a refused delivery is retried and logged with the reason; a person without an e-mail is logged as no-address', async () => {
    robots.failNext.count = 1;
    const n = makeNotifier({ policies: [{ channels: ['wecom', 'email'] }] });
    const before = robots.hits.length;
    const id = n.notify(msg('wo:8:assigned'), ['nomail']);
    await waitUntil(() => (log.deliveries({ messageId: id }).find((r) => r.channel === 'wecom')?.status === 'sent' ? true : undefined), 5000, 'retry');
    const row = log.deliveries({ messageId: id }).find((r) => r.channel === 'wecom')!;
    expect(row.attempts).toBe(2);
    expect(robots.hits.length - before).toBe(2);
    expect(log.deliveries({ messageId: id }).find((r) => r.channel === 'email')!.status).toBe('no-address');
  });

  it('gives up after the retries with the peer\'s reason', async () => {
    const n = makeNotifier({ policies: [{ channels: ['dingtalk'] }], retries: 1 });
    robots.failNext.count = 5;
    const id = n.notify(msg('wo:9:assigned'), ['li']);
    const row = await waitUntil(() => log.deliveries({ messageId: id }).find((r) => r.status === 'failed'), 5000, 'failure');
    expect(row.attempts).toBe(2);
    expect(row.reason).toBe('errcode 45009: api freq out of limit');
    robots.failNext.count = 0;
  });

  it('a flood becomes a digest; duplicates are logged, nothing is lost from the log', async () => {
    let t = Date.parse('2026-03-02T10:00:00+08:00');
    const config = notifySchema.parse({ policies: [{ channels: ['wecom'] }], burst: 2, digestWindowS: 60 });
    const n = new Notifier({ config, people, timezone: 'Asia/Shanghai', log, channels: {}, robots: [{ id: 'flood', channel: new RobotChannel('wecom', `${robots.url}/wecom/flood`), lang: 'en' }], now: () => t, tickMs: 0 });
    closers.push(() => n.close());
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(n.notify(msg(`alarm-${i}`), ['li']));
      t += 100;
    }
    ids.push(n.notify(msg('alarm-3'), ['li'])); // duplicate
    t += 61_000;
    n.flush();
    await n.idle();
    const hits = robots.hits.filter((h) => h.path === '/wecom/flood');
    expect(hits.length).toBe(3);
    expect(hits[2].body.text.content).toContain('48 notifications (digest)');
    const statuses = ids.map((id) => log.deliveries({ messageId: id })[0].status);
    expect(statuses.filter((s) => s === 'sent').length).toBe(50);
    expect(statuses.at(-1)).toBe('duplicate');
  });

  it('quiet hours hold non-critical messages until they end; critical ones go at once', async () => {
    let t = Date.parse('2026-03-02T23:00:00+08:00');
    const config = notifySchema.parse({ policies: [{ channels: ['wecom'] }], quietHours: { from: '22:00', to: '07:00' } });
    const n = new Notifier({ config, people, timezone: 'Asia/Shanghai', log, channels: {}, robots: [{ id: 'quiet', channel: new RobotChannel('wecom', `${robots.url}/wecom/quiet`), lang: 'en' }], now: () => t, tickMs: 0 });
    closers.push(() => n.close());
    const low = n.notify(msg('low-1', 'low'), ['li']);
    const crit = n.notify(msg('crit-1', 'critical'), ['li']);
    await n.idle();
    expect(log.deliveries({ messageId: low })[0].status).toBe('held');
    expect(log.deliveries({ messageId: crit })[0].status).toBe('sent');
    t = Date.parse('2026-03-03T07:00:00+08:00');
    n.flush();
    await n.idle();
    expect(log.deliveries({ messageId: low })[0].status).toBe('sent');
  });
});
