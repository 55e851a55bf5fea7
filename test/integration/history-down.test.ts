// The `history-down` fault of a test run, for real: the hub writes to a private influxd through the
// history proxy (scripts/history-proxy.ts); the fault cuts the proxy, the hub reports history down
// and spools; clearing it lets the spool drain into influxd, and what was sampled during the outage
// is in the database (read directly, behind the proxy's back). The fault is audited as a test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../scripts/testrun-stack.js';

let stack: TestStack;
let auth: Record<string, string>;

interface HistoryComponent { ok: boolean; connected?: boolean; spooledBytes?: number; spooled?: number; written?: number; deadLetters?: number }

async function history(): Promise<HistoryComponent> {
  const res = await fetch(`${stack.url}/api/health`, { headers: auth });
  return ((await res.json()) as { components: Record<string, HistoryComponent> }).components.history;
}

async function until<T>(what: string, f: () => Promise<T | false | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    const v = await f().catch((err: unknown) => ((last = err), undefined));
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function countIn(from: number, to: number): Promise<number> {
  const q = `SELECT count(*) FROM "raw"."samples" WHERE time >= ${from}ms AND time < ${to}ms`;
  const res = await fetch(`${stack.history!.directUrl}/query?db=watchfloor&q=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { results: Array<{ series?: Array<{ columns: string[]; values: number[][] }> }> };
  const s = body.results[0]?.series?.[0];
  return s ? Math.max(...s.values[0].slice(1).map(Number)) : 0;
}

beforeAll(async () => {
  stack = await startTestStack({ history: 'influxdb' });
  const res = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
  auth = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('history-down fault', () => {
  it('cuts the hub off its history database, which spools and then replays everything', async () => {
    await until('history written through the proxy', async () => {
      const h = await history();
      return h.ok && (h.written ?? 0) > 0;
    });
    const post = (path: string, body?: unknown) =>
      fetch(`${stack.url}/api/testruns${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    const injected = await post('/faults', { kind: 'history-down', tag: 'history-down-test' });
    expect(injected.status).toBe(200);
    const fault = (await injected.json()) as { id: string; target: string; tag: string };
    expect(fault).toMatchObject({ target: 'history database', tag: 'history-down-test' });
    const downAt = Date.now();
    expect(stack.history!.proxy.isDown).toBe(true);

    const during = await until('history reported down, with samples spooled', async () => {
      const h = await history();
      return !h.ok && (h.spooled ?? 0) > 0 ? h : false;
    });
    expect(during.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 3000)); // a few more seconds of samples spool
    const upAt = Date.now();

    expect((await post(`/faults/${fault.id}/clear`)).status).toBe(200);
    const after = await until('the spool drained into influxd', async () => {
      const h = await history();
      return h.ok && h.spooledBytes === 0 ? h : false;
    }, 60_000);
    expect(after.deadLetters ?? 0).toBe(0);
    // What was sampled while the database was cut off is there now.
    expect(await countIn(downAt + 500, upAt)).toBeGreaterThan(0);

    const audit = await fetch(`${stack.url}/api/audit?limit=200`, { headers: auth });
    expect(audit.status).toBe(200);
    const entries = JSON.stringify(await audit.json());
    expect(entries).toContain('testrun.fault.inject');
    expect(entries).toContain('testrun.fault.clear');
    expect(entries).toContain('history-down-test');
  }, 120_000);

  it('a viewer may not take the history database down', async () => {
    const res = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: 'viewer-demo' }) });
    const viewer = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
    const denied = await fetch(`${stack.url}/api/testruns/faults`, { method: 'POST', headers: { ...viewer, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'history-down' }) });
    expect(denied.status).toBe(403);
    expect(stack.history!.proxy.isDown).toBe(false);
  }, 60_000);
});
