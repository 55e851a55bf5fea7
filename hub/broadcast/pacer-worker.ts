// Real-time RTP pacing on a dedicated worker thread. The hub's main event loop can stall for tens
// of ms (GC, a large JSON body, SQLite work, rendering a report); a 20 ms packet clock sharing that
// loop inherits every stall as receiver jitter. Here one long-lived thread (per broadcast manager)
// owns the UDP sockets and sends packet i of each stream at start + i × 20 ms (an absolute,
// drift-compensated schedule, as in pacer.ts), so only its own tiny loop decides when a packet leaves.
//
// The thread is started once and kept (starting a worker costs 50–250 ms on a loaded machine, which
// would eat the click → first packet budget); it is plain JavaScript evaluated from a string, so no
// TypeScript loader runs in it. It is unref'd: an idle pacer never keeps the process alive.
import { Worker } from 'node:worker_threads';
import type { Pacer } from './pacer.js';

export interface WorkerEndpoint {
  host: string;
  port: number;
  multicast: boolean;
  ttl?: number;
  interface?: string;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const dgram = require('node:dgram');
const streams = new Map();
const finish = (s, msg) => {
  if (s.stopped) return;
  s.stopped = true;
  clearTimeout(s.timer);
  streams.delete(s.id);
  // Let the last datagram leave before the socket closes.
  setTimeout(() => { try { s.sock.close(); } catch {} parentPort.postMessage({ id: s.id, ...msg }); }, msg.ok ? 20 : 0);
};
const tick = (s) => {
  if (s.stopped) return;
  const t = performance.now();
  while (s.next < s.count && s.start + s.next * s.intervalMs <= t + 0.5) {
    const i = s.next++;
    s.sock.send(s.packets.subarray(i * s.size, (i + 1) * s.size), s.ep.port, s.ep.host);
  }
  if (s.next >= s.count) return finish(s, { ok: true });
  // Wake 1 ms early; the loop sends only what is due, so lateness never accumulates.
  s.timer = setTimeout(() => tick(s), Math.max(0, s.start + s.next * s.intervalMs - performance.now() - 1));
};
parentPort.on('message', (m) => {
  if (m.type === 'stop') { const s = streams.get(m.id); if (s) finish(s, { ok: false }); return; }
  const s = { id: m.id, packets: Buffer.from(m.buf), size: m.size, count: m.count, intervalMs: m.intervalMs, ep: m.ep, next: 0, start: 0, stopped: false, timer: undefined, sock: dgram.createSocket('udp4') };
  streams.set(s.id, s);
  s.sock.on('error', (e) => finish(s, { ok: false, error: e.message }));
  s.sock.bind(0, () => {
    if (s.stopped) return;
    try {
      if (s.ep.multicast) {
        s.sock.setMulticastTTL(s.ep.ttl ?? 1);
        if (s.ep.interface) s.sock.setMulticastInterface(s.ep.interface);
        s.sock.setMulticastLoopback(true);
      }
    } catch (e) { return finish(s, { ok: false, error: e.message }); }
    s.start = performance.now();
    tick(s);
  });
});
`;

interface Pending {
  settle(ok: boolean): void;
  onError(msg: string): void;
}

/** One pacing thread; `pace()` streams on it. `close()` ends every stream (false) and the thread. */
export class PacerThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Starts the thread now (call at start-up so the first broadcast does not wait for it). */
  warm(): this {
    this.thread();
    return this;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.onError(m.error);
      p.settle(m.ok);
    });
    const lost = (why: string) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) {
        p.onError(why);
        p.settle(false);
      }
      this.pending.clear();
    };
    w.on('error', (e) => lost(`pacer thread failed: ${e.message}`));
    w.on('exit', () => lost('pacer thread exited'));
    this.worker = w;
    return w;
  }

  /** Sends `packets` (all the same size) every `intervalMs`. */
  pace(packets: Buffer[], endpoint: WorkerEndpoint, intervalMs: number, onError: (msg: string) => void): Pacer {
    if (packets.length === 0) return { done: Promise.resolve(true), stop: () => undefined };
    const id = this.nextId++;
    const all = Buffer.concat(packets);
    // A fresh ArrayBuffer we can transfer (Buffer.concat may hand back a pooled slab).
    const buf = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
    let settled = false;
    let settle!: (ok: boolean) => void;
    const done = new Promise<boolean>((r) => (settle = r));
    const entry: Pending = {
      settle: (ok) => {
        if (settled) return;
        settled = true;
        settle(ok);
      },
      onError,
    };
    this.pending.set(id, entry);
    const w = this.thread();
    w.ref(); // a stream in flight keeps the process alive until it is sent
    void done.then(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
    w.postMessage({ type: 'start', id, buf, size: packets[0].length, count: packets.length, intervalMs, ep: endpoint }, [buf]);
    return {
      done,
      stop: () => {
        if (settled) return;
        this.pending.delete(id);
        this.worker?.postMessage({ type: 'stop', id });
        entry.settle(false);
      },
    };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.settle(false);
    this.pending.clear();
    if (w) await w.terminate();
  }
}
