// Child process of bench/ingest.ts: N real socket.io clients, each subscribed to floors, measuring
// publish→receipt delay per delivered point state (publish time travels as the state's readTs;
// same machine, same clock). Driven by IPC messages from the parent.
import { io as connectClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../contracts/live.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ToClients =
  | { cmd: 'start'; url: string; token: string; clients: number; floorKeys: string[]; floorsPerClient: number }
  | { cmd: 'reset' }
  | { cmd: 'report' }
  | { cmd: 'exit' };

export type FromClients =
  | { type: 'ready'; clients: number }
  | { type: 'report'; messages: number; states: number; p50: number; p99: number; max: number; cpuMs: number; wallMs: number }
  | { type: 'error'; message: string };

const MAX_MS = 60_000;
let histogram = new Uint32Array(MAX_MS + 1);
let messages = 0;
let states = 0;
let cpuAt = process.cpuUsage();
let wallAt = Date.now();
const clients: Client[] = [];

function send(m: FromClients) {
  process.send!(m);
}

function percentile(p: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  const want = Math.ceil(total * p);
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms];
    if (seen >= want) return ms;
  }
  return MAX_MS;
}

function onUpdate(batch: Array<{ readTs: number }>) {
  const now = Date.now();
  messages++;
  states += batch.length;
  for (const s of batch) {
    const d = now - s.readTs;
    histogram[d < 0 ? 0 : d > MAX_MS ? MAX_MS : d]++;
  }
}

async function start(m: Extract<ToClients, { cmd: 'start' }>) {
  for (let i = 0; i < m.clients; i++) {
    const c: Client = connectClient(m.url, { auth: { token: m.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    clients.push(c);
    await new Promise<void>((ok, fail) => {
      c.once('connect', ok);
      c.once('connect_error', fail);
    });
    const floors = Array.from({ length: m.floorsPerClient }, (_, k) => m.floorKeys[(i + k) % m.floorKeys.length]);
    const ack = await new Promise<SubscribeAck>((ok) => c.emit('subscribe', { floors }, ok));
    if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`);
    c.on('points:update', onUpdate);
    c.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') process.stderr.write(`bench client ${i} disconnected: ${reason}\n`);
    });
  }
  send({ type: 'ready', clients: clients.length });
}

process.on('message', (m: ToClients) => {
  if (m.cmd === 'start') start(m).catch((e) => send({ type: 'error', message: String(e?.message ?? e) }));
  else if (m.cmd === 'reset') {
    histogram = new Uint32Array(MAX_MS + 1);
    messages = 0;
    states = 0;
    cpuAt = process.cpuUsage();
    wallAt = Date.now();
  } else if (m.cmd === 'report') {
    const cpu = process.cpuUsage(cpuAt);
    let max = 0;
    for (let ms = histogram.length - 1; ms >= 0; ms--) if (histogram[ms]) { max = ms; break; }
    send({ type: 'report', messages, states, p50: percentile(0.5), p99: percentile(0.99), max, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Date.now() - wallAt });
  } else if (m.cmd === 'exit') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
