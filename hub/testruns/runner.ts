// Runs a test-run suite against a hub through its public REST API, as the people in it would:
// inject through /api/testruns, act as a user (ack, write, broadcast), and poll the API until
// each expectation holds or its time limit passes. Used by scripts/testrun.ts and the CI test.
import type { AlarmView } from '../../contracts/alarms.js';
import type { BroadcastJob } from '../../contracts/control.js';
import type { PointState } from '../../contracts/point.js';
import { describeExpectation, evaluate, findAlarm, isOfficeHours, type Observation } from './expect.js';
import type { CaseResult, SuiteResult, TimelineEntry } from './report.js';
import type { Expectation, Step, Suite } from './suite.js';

export interface RunnerOptions {
  hub: string;
  /** Password of a user (the demo's `<user>-demo` when the CLI was not given one). */
  password(user: string): string;
  /** Takes a real-Chromium screenshot of a console route; returns the file name (relative to the report). */
  screenshot?(route: string, name: string, user: string): Promise<string>;
  progress?(line: string): void;
  pollMs?: number;
  /** Sign-ins shared between suites run side by side (the hub throttles parallel sign-ins per client). */
  sessions?: Map<string, Promise<string>>;
}

class Api {
  private readonly tokens: Map<string, Promise<string>>;
  constructor(private readonly o: RunnerOptions) {
    this.tokens = o.sessions ?? new Map();
  }

  private token(user: string): Promise<string> {
    let t = this.tokens.get(user);
    if (!t) {
      t = this.login(user);
      this.tokens.set(user, t);
      t.catch(() => this.tokens.delete(user));
    }
    return t;
  }

  private async login(user: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.o.hub}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: this.o.password(user) }) });
      if (res.ok) return ((await res.json()) as { token: string }).token;
      const text = await res.text();
      // The sign-in limiter answers 503/429 with a retry time while other sign-ins are checked.
      if ((res.status === 503 || res.status === 429) && attempt < 20) {
        await sleep(1000 * Math.min(5, Number(JSON.parse(text || '{}')?.error?.details?.retryAfterS ?? 1)));
        continue;
      }
      throw new Error(`sign-in as ${user} failed: ${res.status} ${text.slice(0, 200)}`);
    }
  }

  async call<T>(user: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.o.hub}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token(user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /api${path} as ${user}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pointPath = (id: string) => id.split('/').map(encodeURIComponent).join('/');

export async function runSuite(suite: Suite, file: string, o: RunnerOptions): Promise<SuiteResult> {
  const api = new Api(o);
  const t0 = Date.now();
  const tag = `testrun:${suite.name}`;
  const timeline: TimelineEntry[] = [];
  const cases: CaseResult[] = [];
  const screenshots: SuiteResult['screenshots'] = [];
  const faults = new Map<string, string>();
  const runs: string[] = [];
  const snapshotsBefore = new Map<string, string[]>();
  const log = (kind: TimelineEntry['kind'], text: string, ok?: boolean) => {
    const e: TimelineEntry = { t: Date.now() - t0, kind, text, ...(ok === undefined ? {} : { ok }) };
    timeline.push(e);
    o.progress?.(`  ${ok === false ? '✘' : ok ? '✔' : '·'} +${(e.t / 1000).toFixed(1).padStart(5)} s ${kind.padEnd(10)} ${text}`);
  };
  const me = suite.user;
  const cameras = suite.steps.flatMap((s) => ('expect' in s ? s.expect : [])).flatMap((e) => ('snapshot' in e ? [e.snapshot.camera] : []));
  const timezone = (await api.call<{ timezone: string }>(me, 'GET', '/site')).timezone;
  for (const c of new Set(cameras)) {
    snapshotsBefore.set(c, (await api.call<{ items: string[] }>(me, 'GET', `/cameras/${encodeURIComponent(c)}/snapshots`).catch(() => ({ items: [] }))).items);
  }

  const observe = async (e: Expectation, since: number): Promise<Observation> => {
    const ob: Observation = { since };
    if ('alarm' in e || 'noAlarm' in e) {
      ob.alarms = await api.call<AlarmView[]>(me, 'GET', '/alarms?all=1');
      ob.officeHours = isOfficeHours(Date.now(), timezone);
    }
    else if ('notification' in e) ob.deliveries = await api.call(me, 'GET', '/notify/deliveries');
    else if ('pa' in e) ob.jobs = (await api.call<{ items: BroadcastJob[] }>(me, 'GET', '/broadcast/jobs')).items;
    else if ('snapshot' in e) ob.snapshots = { before: snapshotsBefore.get(e.snapshot.camera) ?? [], now: (await api.call<{ items: string[] }>(me, 'GET', `/cameras/${encodeURIComponent(e.snapshot.camera)}/snapshots`)).items };
    else if ('workorder' in e) ob.workorders = await api.call(me, 'GET', `/workorders?alarm=${encodeURIComponent(e.workorder.alarm)}`).then(async (list) => ((list as unknown[]).length ? (list as Observation['workorders'])! : api.call(me, 'GET', '/workorders')));
    else if ('history' in e) {
      const h = await api.call<{ series: Array<{ points: unknown[] }> }>(me, 'GET', `/history?points=${encodeURIComponent(e.history.point)}&from=${t0 - 60_000}&to=${Date.now() + 1000}&step=1s`);
      ob.historySamples = h.series[0]?.points.length ?? 0;
    } else if ('point' in e) ob.point = (await api.call<{ state: PointState | null }>(me, 'GET', `/points/${pointPath(e.point.id)}`)).state;
    return ob;
  };

  const runStep = async (step: Step): Promise<void> => {
    if ('inject' in step) {
      const f = await api.call<{ id: string; target: string }>(me, 'POST', '/testruns/faults', { ...step.inject, tag });
      faults.set(step.name ?? f.id, f.id);
      log('inject', `${step.inject.kind} on ${f.target} (${f.id})`);
    } else if ('clear' in step) {
      if (step.clear === 'all') {
        // Only this suite's faults and scenarios: other suites may be running beside it.
        for (const id of faults.values()) await api.call(me, 'POST', `/testruns/faults/${id}/clear`, {}).catch(() => {});
        faults.clear();
        for (const id of runs.splice(0)) await api.call(me, 'POST', `/testruns/runs/${id}/stop`, {}).catch(() => {});
      } else {
        await api.call(me, 'POST', `/testruns/faults/${faults.get(step.clear)}/clear`, {});
        faults.delete(step.clear);
      }
      log('clear', step.clear);
    } else if ('scenario' in step) {
      const r = await api.call<{ id: string }>(me, 'POST', `/testruns/scenarios/${encodeURIComponent(step.scenario.name)}/start`, { timeScale: step.scenario.timeScale, tag });
      runs.push(r.id);
      log('scenario', `${step.scenario.name} ×${step.scenario.timeScale ?? 1} (${r.id})`);
    } else if ('wait' in step) {
      log('wait', `${step.wait / 1000} s`);
      await sleep(step.wait);
    } else if ('act' in step) {
      const a = step.act;
      const who = a.as ?? me;
      if (a.ack) {
        const alarm = findAlarm(await api.call<AlarmView[]>(who, 'GET', '/alarms?all=1'), a.ack);
        if (!alarm) throw new Error(`ack: no alarm ${a.ack} to acknowledge`);
        await api.call(who, 'POST', `/alarms/${encodeURIComponent(alarm.id)}/ack`, { comment: `test run ${suite.name}` });
        log('act', `${who} acknowledged ${alarm.id}`);
      } else if (a.write) {
        // A device that does not answer in time (504) or is reconnecting (502) gets the press again, as a person would.
        let w: { confirmed: boolean; readBack: unknown } | undefined;
        for (let attempt = 1; !w; attempt++) {
          try {
            w = await api.call<{ confirmed: boolean; readBack: unknown }>(who, 'POST', `/points/${pointPath(a.write!.point)}/write`, { value: a.write!.value });
          } catch (err) {
            if (attempt >= 3 || !/: 50[24] /.test((err as Error).message)) throw err;
            await sleep(1000);
          }
        }
        log('act', `${who} wrote ${JSON.stringify(a.write.value)} to ${a.write.point}: read back ${JSON.stringify(w.readBack)}${w.confirmed ? '' : ' (not confirmed)'}`);
      } else if (a.broadcast) {
        const body = { zones: a.broadcast.zones, ...(a.broadcast.message ? { message: a.broadcast.message } : {}), ...(a.broadcast.tts ? { tts: [{ text: a.broadcast.tts, lang: 'en' }] } : {}) };
        const job = await api.call<{ id: string }>(who, 'POST', '/broadcast', body);
        log('act', `${who} broadcast to ${a.broadcast.zones.join(', ')} (${job.id})`);
      } else if (a.release) {
        await api.call(who, 'POST', `/control/points/${pointPath(a.release)}/release`, { level: 8 });
        log('act', `${who} released the override of ${a.release}`);
      } else if (a.workorder) {
        const alarm = findAlarm(await api.call<AlarmView[]>(who, 'GET', '/alarms?all=1'), a.workorder.fromAlarm);
        const wo = await api.call<{ id: string }>(who, 'POST', `/workorders/from-alarm/${encodeURIComponent(alarm?.id ?? a.workorder.fromAlarm)}`, {});
        log('act', `${who} opened work order ${wo.id} from ${alarm?.id ?? a.workorder.fromAlarm}`);
      }
    } else if ('expect' in step) {
      const since = Date.now();
      const pending = new Map(step.expect.map((e, i) => [i, e]));
      const last = new Map<number, string>();
      for (;;) {
        for (const [i, e] of pending) {
          try {
            const v = evaluate(e, await observe(e, since - 1000));
            last.set(i, v.detail);
            if (v.ok) {
              pending.delete(i);
              cases.push({ name: `${step.name ? `${step.name}: ` : ''}${describeExpectation(e)}`, ok: true, ms: Date.now() - since, limitMs: step.within, detail: v.detail });
              log('expect', `${describeExpectation(e)} — ${v.detail} in ${((Date.now() - since) / 1000).toFixed(1)} s`, true);
            }
          } catch (err) {
            last.set(i, (err as Error).message);
          }
        }
        if (pending.size === 0 || Date.now() - since > step.within) break;
        await sleep(o.pollMs ?? 500);
      }
      for (const [i, e] of pending) {
        cases.push({ name: `${step.name ? `${step.name}: ` : ''}${describeExpectation(e)}`, ok: false, ms: Date.now() - since, limitMs: step.within, detail: last.get(i) ?? 'not observed' });
        log('expect', `${describeExpectation(e)} — not within ${step.within / 1000} s: ${last.get(i) ?? ''}`, false);
      }
    } else if ('screenshot' in step) {
      if (!o.screenshot) return;
      const f = await o.screenshot(step.screenshot.route, `${suite.name}-${step.screenshot.name}`, me);
      screenshots.push({ name: step.screenshot.name, file: f, t: Date.now() - t0 });
      log('screenshot', `${step.screenshot.route} → ${f}`);
    }
  };

  let error: string | undefined;
  o.progress?.(`▶ ${suite.name}: ${suite.description}`);
  try {
    for (const step of suite.steps) await runStep(step);
  } catch (err) {
    error = (err as Error).message;
    log('error', error, false);
  }
  for (const step of suite.cleanup) {
    try {
      await runStep(step);
    } catch (err) {
      log('error', `cleanup: ${(err as Error).message}`, false);
    }
  }
  // Leave the simulators as found: every fault and scenario of this run off.
  for (const id of faults.values()) await api.call(me, 'POST', `/testruns/faults/${id}/clear`, {}).catch(() => {});
  for (const id of runs) await api.call(me, 'POST', `/testruns/runs/${id}/stop`, {}).catch(() => {});
  const result: SuiteResult = { name: suite.name, description: suite.description, file, startedAt: t0, ms: Date.now() - t0, cases, timeline, screenshots, ...(error ? { error } : {}) };
  const failed = cases.filter((c) => !c.ok).length;
  o.progress?.(`${failed || error ? '✘' : '✔'} ${suite.name}: ${cases.length - failed}/${cases.length} expectations in ${(result.ms / 1000).toFixed(1)} s${error ? ` — error: ${error}` : ''}`);
  return result;
}
