// Point-to-point checkout: every point of the site (or of a floor) checked end to end and
// recorded with who/when/values. Outputs: write a test value, confirm the read-back, restore.
// Inputs: live, in range, unit plausible. Safety-critical points are never written unless that
// very point was confirmed by the person starting the run.
import type { PointInfo, PointState, PointValue } from '../../contracts/point.js';
import type { CheckoutAlarmCheck, CheckoutGroup, CheckoutItem, CheckoutView } from '../../contracts/testruns.js';
import { alarmChecksFor, checkAlarm, type AlarmCheckDeps } from './alarm-check.js';
import { checkInput, isSafetyCritical, sameValue, testValueFor } from './plausibility.js';

export interface CheckoutWriter {
  /** Writes and reads back; returns what the device reported. */
  write(pointId: string, value: PointValue): Promise<{ confirmed: boolean | null; readBack: PointValue; detail?: string }>;
  /** Puts the point back as it was before the test write (releases the override). */
  restore(pointId: string, original: PointValue): Promise<{ readBack: PointValue }>;
  /** Commands the original value when releasing did not bring it back. */
  hold?(pointId: string, original: PointValue): Promise<{ readBack: PointValue }>;
}

export interface CheckoutDeps {
  points(): PointInfo[];
  state(id: string): PointState | undefined;
  writer(user: string, role: string): CheckoutWriter;
  safetyPatterns: readonly string[];
  audit(action: string, target: string, details: Record<string, unknown>): void;
  now?: () => number;
  /** Points checked at once. */
  concurrency?: number;
  /** How long an input may take to become live, or an output to read back (ms). */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Alarm checks (runs started with `alarms: true`); without it such a run is refused. */
  alarms?: AlarmCheckDeps;
  /** Extra wait over an alarm's delays (ms); default 20 s (poll interval and engine tick under load). */
  alarmMarginMs?: number;
}

export interface CheckoutStartOptions {
  /** `building[/floor]`; default all. */
  area?: string;
  /** Safety points the user confirmed one by one. */
  confirmed?: string[];
  /** Also trip and clear every alarm of the checked points on simulated connections. */
  alarms?: boolean;
  /** Alarm rules with a longer on- or off-delay are skipped (s); default 60. */
  alarmMaxDelayS?: number;
}

const floorOf = (id: string) => id.split('/').slice(1, 3).join('/');
const deviceOf = (id: string) => id.split('/').slice(1, 5).join('/');

export function summarize(items: readonly CheckoutItem[], key: (i: CheckoutItem) => string): CheckoutGroup[] {
  const groups = new Map<string, CheckoutGroup>();
  for (const i of items) {
    const k = key(i);
    const g = groups.get(k) ?? { key: k, total: 0, done: 0, pass: 0, fail: 0, skipped: 0 };
    g.total++;
    if (i.result !== 'pending') g.done++;
    if (i.result === 'pass') g.pass++;
    else if (i.result === 'fail') g.fail++;
    else if (i.result === 'skipped' || i.result === 'needs_confirmation') g.skipped++;
    groups.set(k, g);
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export class Checkout {
  private items: CheckoutItem[] = [];
  private alarmChecks: CheckoutAlarmCheck[] | null = null;
  private id: string | null = null;
  private state: CheckoutView['state'] = 'idle';
  private startedAt?: number;
  private endedAt?: number;
  private by?: string;
  private signedOff?: CheckoutView['signedOff'];
  private stopping = false;
  private running: Promise<void> | null = null;
  private seq = 0;

  constructor(private readonly d: CheckoutDeps) {}

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  private readonly sleep = (ms: number) => (this.d.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);

  /** Starts a run over the points under `area`; safety points are written only when `confirmed`. */
  start(user: { username: string; role: string }, opts: CheckoutStartOptions = {}): CheckoutView {
    if (this.state === 'running') throw new Error('a checkout is already running');
    if (opts.alarms && !this.d.alarms) throw new Error('alarm checks need the alarms module');
    const confirmed = new Set(opts.confirmed ?? []);
    const infos = this.d.points().filter((p) => !opts.area || floorOf(p.id) === opts.area || floorOf(p.id).startsWith(`${opts.area}/`) || p.id.split('/')[1] === opts.area);
    this.items = infos.map((p) => ({
      pointId: p.id,
      floor: floorOf(p.id),
      device: deviceOf(p.id),
      kind: p.writable ? 'write' : 'input',
      result: 'pending',
      detail: '',
      safety: isSafetyCritical(p, this.d.safetyPatterns),
    }));
    this.id = `co-${this.now().toString(36)}-${++this.seq}`;
    this.state = 'running';
    this.startedAt = this.now();
    this.endedAt = undefined;
    this.signedOff = undefined;
    this.by = user.username;
    this.stopping = false;
    const alarmLists = opts.alarms ? alarmChecksFor(this.d.alarms!.defs(), new Set(infos.map((p) => p.id))) : null;
    this.alarmChecks = alarmLists ? [...alarmLists.values()].flat().map((x) => x.check) : null;
    this.d.audit('testrun.checkout.start', this.id, { test: true, area: opts.area ?? 'all', points: this.items.length, confirmedSafety: [...confirmed], alarms: this.alarmChecks?.length ?? 0 });
    const byId = new Map(infos.map((p) => [p.id, p]));
    const writer = this.d.writer(user.username, user.role);
    const queue = [...this.items];
    const worker = async () => {
      for (let item = queue.shift(); item && !this.stopping; item = queue.shift()) {
        await this.checkOne(item, byId.get(item.pointId)!, writer, confirmed, user.username);
      }
    };
    const pool = (n: number, work: () => Promise<void>) => Promise.all(Array.from({ length: n }, work));
    // Alarms after every point: a fault held meanwhile would fail the input checks of its equipment.
    const alarmPhase = async () => {
      if (!alarmLists) return;
      const lists = [...alarmLists.values()];
      const opt = { maxDelayS: opts.alarmMaxDelayS ?? 60, marginMs: this.d.alarmMarginMs ?? 20_000, now: () => this.now(), sleep: this.sleep, stopping: () => this.stopping };
      const tag = `checkout ${this.id}`;
      await pool(this.d.concurrency ?? 6, async () => {
        for (let list = lists.shift(); list && !this.stopping; list = lists.shift()) {
          for (const { def, check } of list) {
            if (this.stopping) break;
            const siblings = list.filter((x) => x.def.pointId === def.pointId && x.def.id !== def.id).map((x) => x.def.id);
            await checkAlarm(check, def, byId.get(def.pointId), siblings, user.username, tag, this.d.alarms!, opt);
          }
        }
      });
    };
    this.running = pool(this.d.concurrency ?? 6, worker).then(alarmPhase).then(() => {
      this.state = this.stopping ? 'stopped' : 'done';
      this.endedAt = this.now();
      const v = this.view();
      this.d.audit('testrun.checkout.end', this.id!, { test: true, state: this.state, pass: v.pass, fail: v.fail, skipped: v.skipped, ...(v.alarms ? { alarms: { pass: v.alarms.pass, fail: v.alarms.fail, skipped: v.alarms.skipped } } : {}) });
    });
    return this.view();
  }

  /** Polls until `ok` or the wait runs out: a point just connected, or a poll late under load, gets its chance. */
  private async settle<T>(probe: () => T, ok: (t: T) => boolean): Promise<T> {
    const end = this.now() + (this.d.waitMs ?? 10_000);
    for (let t = probe(); ; t = probe()) {
      if (ok(t) || this.now() >= end || this.stopping) return t;
      await this.sleep(500);
    }
  }

  private async checkOne(item: CheckoutItem, info: PointInfo, writer: CheckoutWriter, confirmed: Set<string>, user: string): Promise<void> {
    item.by = user;
    if (!info.writable) {
      const v = await this.settle(() => checkInput(info, this.d.state(info.id), this.now()), (x) => x.ok);
      item.at = this.now();
      item.value = this.d.state(info.id)?.value ?? null;
      item.result = v.ok ? 'pass' : 'fail';
      item.detail = v.detail;
      return;
    }
    const st = await this.settle(() => this.d.state(info.id), (x) => x?.quality === 'good');
    item.at = this.now();
    item.value = st?.value ?? null;
    if (item.safety && !confirmed.has(info.id)) {
      item.result = 'needs_confirmation';
      item.detail = 'safety-critical: not written without a per-point confirmation';
      return;
    }
    if (!st || st.quality !== 'good') {
      item.result = 'fail';
      item.detail = `cannot test: quality ${st?.quality ?? 'none'}`;
      return;
    }
    const original = st.value;
    const test = testValueFor(info, original);
    if (test === null) {
      item.result = 'skipped';
      item.detail = `no safe test value for a ${info.kind} point`;
      return;
    }
    item.testValue = test;
    try {
      const w = await writer.write(info.id, test);
      item.readBack = w.readBack;
      let back = await writer.restore(info.id, original);
      let note = '';
      if (!sameValue(back.readBack, original) && writer.hold) {
        // Releasing fell back to the priority array's default, not to what the device showed
        // before (its state was never commanded): hold the original value instead, and say so.
        back = await writer.hold(info.id, original);
        note = ' (held by a level-8 override: the point had no commanded value to fall back to)';
      }
      const ok = w.confirmed !== false && sameValue(w.readBack, test);
      const restored = sameValue(back.readBack, original);
      item.result = ok && restored ? 'pass' : 'fail';
      item.detail = ok
        ? `wrote ${test}, read back ${w.readBack}; restored ${original}${restored ? note : ` but it reads ${back.readBack}`}`
        : `wrote ${test} but read back ${w.readBack}${w.detail ? ` (${w.detail})` : ''}`;
    } catch (err) {
      item.result = 'fail';
      item.detail = `write failed: ${(err as Error).message}`;
    }
    if (item.safety) this.d.audit('testrun.checkout.safety_write', info.id, { test: true, value: test, result: item.result });
  }

  async stop(): Promise<CheckoutView> {
    this.stopping = true;
    await this.running;
    return this.view();
  }

  /** Resolves when the current run ends (tests, the CLI). */
  async done(): Promise<void> {
    await this.running;
  }

  signOff(user: string, note?: string): CheckoutView {
    if (this.state !== 'done') throw new Error('only a finished checkout can be signed off');
    this.signedOff = { by: user, at: this.now(), ...(note ? { note } : {}) };
    this.d.audit('testrun.checkout.sign_off', this.id!, { test: true, note });
    return this.view();
  }

  private alarmSummary(withItems: boolean): NonNullable<CheckoutView['alarms']> {
    const a = this.alarmChecks ?? [];
    const n = (r: CheckoutAlarmCheck['result']) => a.filter((c) => c.result === r).length;
    return { total: a.length, done: a.length - n('pending'), pass: n('pass'), fail: n('fail'), skipped: n('skipped'), ...(withItems ? { checks: a.map((c) => ({ ...c })) } : {}) };
  }

  view(withItems = false): CheckoutView {
    const it = this.items;
    const count = (r: CheckoutItem['result'][]) => it.filter((i) => r.includes(i.result)).length;
    return {
      id: this.id,
      state: this.state,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.endedAt ? { endedAt: this.endedAt } : {}),
      ...(this.by ? { by: this.by } : {}),
      total: it.length,
      done: it.length - count(['pending']),
      pass: count(['pass']),
      fail: count(['fail']),
      skipped: count(['skipped', 'needs_confirmation']),
      floors: summarize(it, (i) => i.floor),
      devices: summarize(it, (i) => i.device),
      ...(withItems ? { items: it.map((i) => ({ ...i })) } : {}),
      ...(this.alarmChecks ? { alarms: this.alarmSummary(withItems) } : {}),
      ...(this.signedOff ? { signedOff: this.signedOff } : {}),
    };
  }
}
