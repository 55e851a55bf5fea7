// A simulated maintainer for test runs and the demo: signs in to a hub over its REST API (like the
// phone console does), and takes every order assigned to them through accept → on the way → on site
// → done, with work done and parts, at a configurable pace. Imports nothing of the hub (HTTP only).
import type { WorkOrder } from '../../contracts/workorders.js';

export interface MaintainerOptions {
  hubUrl: string;
  username: string;
  password: string;
  /** Pause before each step (ms); default 200. */
  stepMs?: number;
  /** How often the maintainer looks at their orders (ms); default 500. */
  pollMs?: number;
  /** Share (0..1) of repairs that replace a part found damaged; default 0.3. */
  damagedShare?: number;
  log?: (msg: string) => void;
}

const NEXT: Partial<Record<WorkOrder['state'], { action: string; extra?: (o: WorkOrder) => Record<string, unknown> }>> = {
  assigned: { action: 'accept' },
  accepted: { action: 'depart' },
  en_route: { action: 'arrive' },
  on_site: { action: 'finish' },
};

export class SimulatedMaintainer {
  private token = '';
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private n = 0;
  readonly finished: number[] = [];

  constructor(private readonly o: MaintainerOptions) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.o.hubUrl + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async start(): Promise<void> {
    const r = await fetch(`${this.o.hubUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: this.o.username, password: this.o.password }) });
    if (!r.ok) throw new Error(`${this.o.username}: sign-in refused (HTTP ${r.status})`);
    this.token = ((await r.json()) as { token: string }).token;
    this.timer = setInterval(() => void this.round(), this.o.pollMs ?? 500);
  }

  /** One look at my orders: the next step of each. */
  async round(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const mine = await this.call<WorkOrder[]>('GET', '/api/workorders?mine=1&state=assigned,accepted,en_route,on_site');
      for (const o of mine.body) {
        const next = NEXT[o.state];
        if (!next) continue;
        await new Promise((r) => setTimeout(r, this.o.stepMs ?? 200));
        const extra = next.action === 'finish' ? this.repair() : {};
        const r = await this.call<WorkOrder>('POST', `/api/workorders/${o.id}/steps`, { action: next.action, version: o.version, ...extra });
        if (r.status === 200) {
          this.o.log?.(`${this.o.username}: #${o.id} ${next.action} → ${r.body.state}`);
          if (r.body.state === 'done') this.finished.push(o.id);
        } else this.o.log?.(`${this.o.username}: #${o.id} ${next.action} refused (HTTP ${r.status})`);
      }
    } catch (err) {
      this.o.log?.(`${this.o.username}: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private repair(): Record<string, unknown> {
    this.n++;
    const damaged = (this.n * 0.618) % 1 < (this.o.damagedShare ?? 0.3); // deterministic spread, no RNG
    return { workDone: `checked and repaired (simulated visit ${this.n})`, parts: [{ name: 'fuse 10A', qty: 1, ...(damaged ? { damaged: true } : {}) }] };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** Reports faults the way people do (报修 over REST), spread over areas and trades. */
export async function reportFaults(o: { hubUrl: string; token: string; count: number; areas: string[]; trades?: string[] }): Promise<number[]> {
  const trades = o.trades ?? ['electrical'];
  const ids: number[] = [];
  for (let i = 0; i < o.count; i++) {
    const res = await fetch(`${o.hubUrl}/api/workorders`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
      body: JSON.stringify({ title: `Simulated fault ${i + 1}`, trade: trades[i % trades.length], area: o.areas[i % o.areas.length], device: `sim-device-${i % 3}`, priority: i % 4 === 0 ? 'high' : 'medium' }),
    });
    if (res.status !== 201) throw new Error(`report ${i + 1}: HTTP ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: number }).id);
  }
  return ids;
}
