// Drives a child hub (crash-child.ts) through work-order lifecycles from several concurrent
// clients, SIGKILLs it while requests are in flight, restarts it on the same data folder and checks
// that every transition acknowledged with 200 is there. Used by crash.test.ts and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WoAction, WorkOrder, WorkOrderDetail } from '../../contracts/workorders.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PW = 'crash-test-pw';

function startChild(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL (\S+)\n/.exec(out);
      if (m) ok({ child, url: m[1] });
    });
    child.once('exit', (code) => fail(new Error(`child exited (${code}) before listening: ${err.slice(-2000)}`)));
  });
}

async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PW }) });
  return ((await r.json()) as { token: string }).token;
}

export interface CrashResult {
  acknowledged: number;
  inFlightAtKill: number;
  lost: string[];
}

const STEPS: Array<{ action: WoAction; extra?: Record<string, unknown> }> = [
  { action: 'accept' }, { action: 'depart' }, { action: 'arrive' }, { action: 'finish', extra: { workDone: 'fixed' } },
];

export async function killMidLifecycle(dir: string, o: { runMs: number; minAcked?: number; clients?: number }): Promise<CrashResult> {
  let { child, url } = await startChild(dir);
  const tokens = { e1: await login(url, 'e1'), sup: await login(url, 'sup') };
  const acked = new Map<number, { version: number; state: string }>();
  let inFlight = 0;
  let inFlightAtKill = 0;
  let stop = false;
  const call = async (path: string, token: string, body: unknown): Promise<WorkOrder | null> => {
    inFlight++;
    try {
      const r = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      if (r.status !== 200 && r.status !== 201) return null;
      return (await r.json()) as WorkOrder;
    } catch {
      return null; // the hub died under this request: not acknowledged
    } finally {
      inFlight--;
    }
  };
  const worker = async () => {
    while (!stop) {
      let o = await call('/api/workorders', tokens.sup, { title: 'crash test', trade: 'electrical', area: 'a/l01', priority: 'high' });
      if (!o) continue;
      acked.set(o.id, { version: o.version, state: o.state });
      for (const s of STEPS) {
        if (stop) break;
        const next = await call(`/api/workorders/${o.id}/steps`, tokens.e1, { action: s.action, version: o.version, ...s.extra });
        if (!next) break;
        o = next;
        acked.set(o.id, { version: o.version, state: o.state });
      }
    }
  };
  const workers = Array.from({ length: o.clients ?? 4 }, worker);
  // Run at least runMs and until minAcked transitions were answered, then kill while requests are in flight.
  const t0 = Date.now();
  const total = () => [...acked.values()].reduce((a, v) => a + v.version, 0);
  while (Date.now() - t0 < o.runMs || total() < (o.minAcked ?? 0) || inFlight === 0) await new Promise((r) => setTimeout(r, 5));
  inFlightAtKill = inFlight;
  child.kill('SIGKILL');
  stop = true;
  await Promise.allSettled(workers);
  await new Promise<void>((ok) => (child.exitCode !== null || child.signalCode !== null ? ok() : child.once('exit', () => ok())));
  ({ child, url } = await startChild(dir));
  try {
    const token = await login(url, 'sup');
    const lost: string[] = [];
    for (const [id, want] of acked) {
      const r = await fetch(`${url}/api/workorders/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const got = r.ok ? ((await r.json()) as WorkOrderDetail) : null;
      if (!got || got.version < want.version) lost.push(`#${id}: acknowledged v${want.version} ${want.state}, found ${got ? `v${got.version} ${got.state}` : 'nothing'}`);
      else if (got.timeline.length < want.version) lost.push(`#${id}: timeline has ${got.timeline.length} entries for v${want.version}`);
    }
    return { acknowledged: [...acked.values()].reduce((a, v) => a + v.version, 0), inFlightAtKill, lost };
  } finally {
    child.kill('SIGKILL');
  }
}
