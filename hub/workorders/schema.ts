// Schema of config/dispatch.yaml: people and how to reach them, trades and areas, the weekly
// on-call roster (值班表), SLAs, automatic orders per alarm rule, and notification channels and
// policies. Pure validation; cross-checks (users exist, roster names known people) in checkDispatch.
import { z } from 'zod';
import { TRADES, WO_PRIORITIES } from '../../contracts/workorders.js';
import type { ConfigIssue } from '../../contracts/driver.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00..23:59)');
const area = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/, 'must be building[/floor[/room]]');
const username = z.string().min(1).max(64);
const minutes = z.number().positive('must be more than 0').max(10_080, 'must be ≤ 10080 min (a week)');
const localized = z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) });

export const CHANNELS = ['email', 'wecom', 'dingtalk', 'push', 'console'] as const;
export type ChannelName = (typeof CHANNELS)[number];

const person = z.strictObject({
  user: username,
  name: localized.optional(),
  email: z.email('must be an e-mail address').optional(),
  /** Mobile number: @-mentioned in WeCom/DingTalk group robots. */
  mobile: z.string().regex(/^\+?\d{6,15}$/, 'must be digits, e.g. 13800000000').optional(),
  /** zh-CN or en: the language of this person's messages. */
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

const rosterEntry = z.strictObject({
  trade: z.enum(TRADES),
  /** Areas this line covers (prefixes); omitted = every area of the trade. */
  areas: z.array(area).optional(),
  /** On-call order on working days (incl. 调休 make-up days): first is on call, next is the fallback. */
  workday: z.array(username).min(1, 'at least one person'),
  weekend: z.array(username).min(1).optional(),
  /** Public holidays; default: the weekend list. */
  holiday: z.array(username).min(1).optional(),
  /** Outside day hours (see roster.dayFrom/dayTo); default: the day's list. */
  night: z.array(username).min(1).optional(),
  supervisor: username,
  manager: username,
});

const sla = z.strictObject({ respondMin: minutes, fixMin: minutes });

const robot = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes'),
  type: z.enum(['wecom', 'dingtalk']),
  url: z.url('must be the robot webhook URL'),
  /** DingTalk 加签 secret (SEC…); requests are signed when set. */
  secret: z.string().min(1).optional(),
  trades: z.array(z.enum(TRADES)).optional(),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

const policy = z.strictObject({
  priorities: z.array(z.enum(WO_PRIORITIES)).min(1).optional(),
  trades: z.array(z.enum(TRADES)).min(1).optional(),
  areas: z.array(area).min(1).optional(),
  channels: z.array(z.enum(CHANNELS)).min(1),
});

export const notifySchema = z.strictObject({
  /** Base of deep links in messages, e.g. https://watchfloor.example.gov.cn */
  baseUrl: z.url().default('http://127.0.0.1:8080'),
  smtp: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    secure: z.boolean().default(false),
    from: z.string().min(3),
    user: z.string().optional(),
    pass: z.string().optional(),
  }).optional(),
  robots: z.array(robot).default([]),
  push: z.strictObject({ subject: z.string().regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL') }).optional(),
  policies: z.array(policy).default([{ channels: [...CHANNELS] }]),
  /** Non-critical messages in this window wait and leave as one digest when it ends. */
  quietHours: z.strictObject({ from: hhmm, to: hhmm }).optional(),
  /** Same message key to the same recipient within this window is sent once. */
  dedupWindowS: z.number().min(0).max(86_400).default(300),
  /** Per recipient and channel: this many messages may leave at once, then they are collected into digests. */
  burst: z.number().int().min(1).max(100).default(3),
  /** Digest interval during a flood (s). */
  digestWindowS: z.number().min(1).max(3600).default(60),
  retries: z.number().int().min(0).max(10).default(3),
  retryBaseMs: z.number().int().min(10).max(600_000).default(2000),
});
export type NotifyConfig = z.infer<typeof notifySchema>;

export const dispatchFileSchema = z.strictObject({
  people: z.array(person).default([]),
  trades: z.array(z.strictObject({ id: z.enum(TRADES), name: localized.optional(), areas: z.array(area).min(1) })).default([]),
  roster: z.strictObject({
    dayFrom: hhmm.default('08:00'),
    dayTo: hhmm.default('18:00'),
    entries: z.array(rosterEntry).default([]),
  }).default({ dayFrom: '08:00', dayTo: '18:00', entries: [] }),
  sla: z.strictObject({ critical: sla, high: sla, medium: sla, low: sla }).default({
    critical: { respondMin: 10, fixMin: 120 }, high: { respondMin: 30, fixMin: 480 },
    medium: { respondMin: 120, fixMin: 1440 }, low: { respondMin: 480, fixMin: 4320 },
  }),
  /** Alarm rules that open a work order automatically when they activate. */
  autoOrders: z.array(z.strictObject({
    rule: z.string().min(1),
    trade: z.enum(TRADES),
    priority: z.enum(WO_PRIORITIES).optional(),
  })).default([]),
  /** A critical alarm unacknowledged this long notifies the on-call supervisor on every channel. */
  unackedCriticalMin: minutes.default(5),
  /** Trade of one-click orders from alarms whose rule has no autoOrders line. */
  defaultTrade: z.enum(TRADES).default('electrical'),
  /** Photos come base64 in JSON (the hub accepts JSON bodies up to 256 kB): the phone resizes them first. */
  photos: z.strictObject({ maxBytes: z.number().int().min(10_000).max(190_000).default(180_000), maxPerOrder: z.number().int().min(1).max(50).default(10) })
    .default({ maxBytes: 180_000, maxPerOrder: 10 }),
  notify: notifySchema.default(notifySchema.parse({})),
});
export type DispatchFile = z.infer<typeof dispatchFileSchema>;
export type RosterEntry = z.infer<typeof rosterEntry>;
export type Person = z.infer<typeof person>;

/** Cross-checks without I/O: roster and people name known users, trades cover roster lines. */
export function checkDispatch(file: DispatchFile, users: ReadonlySet<string> | null, alarmRules: unknown = null): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  // alarmRules: the parsed alarms.yaml (its rules' ids), when it exists and validated.
  const rules = (alarmRules as { rules?: Array<{ id: string }> } | null)?.rules;
  if (rules) {
    const ids = new Set(rules.map((r) => r.id));
    file.autoOrders.forEach((a, i) => {
      if (!ids.has(a.rule)) out.push({ path: ['autoOrders', i, 'rule'], message: `"${a.rule}" is not a rule in alarms.yaml` });
    });
  }
  const people = new Set(file.people.map((p) => p.user));
  file.people.forEach((p, i) => {
    if (users && !users.has(p.user)) out.push({ path: ['people', i, 'user'], message: `"${p.user}" is not a user in users.yaml` });
  });
  const seenPeople = new Set<string>();
  file.people.forEach((p, i) => {
    if (seenPeople.has(p.user)) out.push({ path: ['people', i, 'user'], message: `"${p.user}" is listed twice` });
    seenPeople.add(p.user);
  });
  file.roster.entries.forEach((e, i) => {
    for (const key of ['workday', 'weekend', 'holiday', 'night'] as const) {
      e[key]?.forEach((u, j) => {
        if (!people.has(u)) out.push({ path: ['roster', 'entries', i, key, j], message: `"${u}" is not in people` });
      });
    }
    for (const key of ['supervisor', 'manager'] as const) {
      if (!people.has(e[key])) out.push({ path: ['roster', 'entries', i, key], message: `"${e[key]}" is not in people` });
    }
    if (!file.trades.some((t) => t.id === e.trade)) out.push({ path: ['roster', 'entries', i, 'trade'], message: `trade "${e.trade}" is not listed under trades` });
  });
  const seenTrades = new Set<string>();
  file.trades.forEach((t, i) => {
    if (seenTrades.has(t.id)) out.push({ path: ['trades', i, 'id'], message: `trade "${t.id}" is listed twice` });
    seenTrades.add(t.id);
  });
  const robots = new Set<string>();
  file.notify.robots.forEach((r, i) => {
    if (robots.has(r.id)) out.push({ path: ['notify', 'robots', i, 'id'], message: `robot "${r.id}" is listed twice` });
    robots.add(r.id);
  });
  return out;
}
