// A simulated guard (or cleaner) for tests, the bench and the demo: signs in over the REST API like
// the phone does, looks at the tours assigned to them, and scans each checkpoint with its real
// signed code (read from the printed sheet: here, the codes a supervisor fetched), mostly on time,
// sometimes late, sometimes skipping one, so missed/late alarms can be tested end to end.
// Imports nothing of the hub (HTTP only).
import type { RunStatus, ScanResult } from '../../contracts/patrols.js';

export type Intent = 'on_time' | 'late' | 'skip';

export interface PlannedScan { runId: string; checkpoint: string; index: number; at: number; intent: Intent }

export interface PlanOptions {
  /** Share (0..1) of checkpoints scanned after their window closed; default 0.1. */
  lateShare?: number;
  /** Share (0..1) of checkpoints skipped; default 0.05. */
  skipShare?: number;
  /** Random numbers in [0, 1); default Math.random. A seeded one makes a run reproducible. */
  rng?: () => number;
  /** Forced intents by checkpoint id (tests). */
  intents?: Record<string, Intent>;
}

/** When and whether the guard scans each pending stop of a run (server time). Pure given rng. */
export function planRun(run: RunStatus, o: PlanOptions = {}): PlannedScan[] {
  const rng = o.rng ?? Math.random;
  const late = o.lateShare ?? 0.1;
  const skip = o.skipShare ?? 0.05;
  const out: PlannedScan[] = [];
  for (const c of run.checkpoints) {
    if (c.status !== 'pending') continue;
    const r = rng();
    const intent: Intent = o.intents?.[c.checkpoint] ?? (r < skip ? 'skip' : r < skip + late ? 'late' : 'on_time');
    const half = (c.closes - c.due) / 2;
    // On time: around the planned time, inside the window; late: up to a minute after it closed.
    const at = intent === 'late' ? c.closes + 5_000 + Math.round(rng() * 55_000) : c.due + Math.round((rng() * 2 - 1) * half);
    out.push({ runId: run.runId, checkpoint: c.checkpoint, index: c.index, at, intent });
  }
  return out;
}

/** A small seeded generator (mulberry32), so simulated shifts repeat. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GuardOptions extends PlanOptions {
  hubUrl: string;
  username: string;
  password: string;
  /** checkpoint id → the text of its printed QR code. */
  codes: Record<string, string>;
  /** The hub's time now (ms). Default: the hub's clock as last reported, advanced by the local one. */
  serverClock?: () => number;
  pollMs?: number;
  log?: (msg: string) => void;
}

export class SimulatedGuard {
  private token = '';
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private n = 0;
  private readonly planned = new Map<string, PlannedScan[]>();
  private offset = 0;
  readonly results: Array<PlannedScan & { status: number; result?: ScanResult }> = [];

  constructor(private readonly o: GuardOptions) {}

  private now(): number {
    return this.o.serverClock?.() ?? Date.now() + this.offset;
  }

  async start(poll = true): Promise<void> {
    const r = await fetch(`${this.o.hubUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: this.o.username, password: this.o.password }) });
    if (!r.ok) throw new Error(`${this.o.username}: sign-in refused (HTTP ${r.status})`);
    this.token = ((await r.json()) as { token: string }).token;
    if (poll) this.timer = setInterval(() => void this.round(), this.o.pollMs ?? 1000);
  }

  /** One look: plan new runs, scan what is due. Returns the scans sent. */
  async round(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let sent = 0;
    try {
      const res = await fetch(`${this.o.hubUrl}/api/patrols/mine`, { headers: { authorization: `Bearer ${this.token}` } });
      const mine = (await res.json()) as { serverTs: number; runs: RunStatus[] };
      if (!this.o.serverClock) this.offset = mine.serverTs - Date.now();
      for (const run of mine.runs) if (!this.planned.has(run.runId)) this.planned.set(run.runId, planRun(run, this.o));
      const now = this.now();
      for (const plan of this.planned.values()) {
        while (plan.length > 0 && plan[0].at <= now) {
          const p = plan.shift()!;
          if (p.intent === 'skip') {
            this.results.push({ ...p, status: 0 });
            continue;
          }
          const r = await fetch(`${this.o.hubUrl}/api/patrols/scans`, {
            method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ scanId: `${this.o.username}-${Date.now().toString(36)}-${++this.n}`, token: this.o.codes[p.checkpoint], clientTs: now }),
          });
          const body = (await r.json()) as ScanResult;
          this.results.push({ ...p, status: r.status, ...(r.ok ? { result: body } : {}) });
          this.o.log?.(`${this.o.username}: ${p.checkpoint} → ${r.ok ? body.status : `HTTP ${r.status}`}`);
          sent++;
        }
      }
    } finally {
      this.busy = false;
    }
    return sent;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
