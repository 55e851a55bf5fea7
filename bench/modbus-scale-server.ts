// Child process of bench/modbus-scale.ts: the Modbus TCP gateways (a lean FC3 server per port, so the
// simulated devices cost little of the shared 2 cores) plus an InfluxDB v1 sink that stores nothing.
// Every read request is timed here, at the server: the interval between two reads of the same
// (gateway, unit, start) block is what "polled every second" means.
import http from 'node:http';
import net from 'node:net';

export type ToServer = { cmd: 'reset' } | { cmd: 'report' } | { cmd: 'exit' };
export type FromServer =
  | { type: 'ready'; ports: number[]; sinkUrl: string }
  | { type: 'report'; reads: number; intervals: number; p50: number; p99: number; max: number; cpuMs: number; wallMs: number; sinkBytes: number };

const [gateways, units, registers, changePct] = process.argv.slice(2).map(Number);
const MAX_MS = 60_000;
let histogram = new Uint32Array(MAX_MS + 1);
let reads = 0;
let sinkBytes = 0;
let cpuAt = process.cpuUsage();
let wallAt = Date.now();
/** Last read time per (gateway, unit, start), keyed gateway*2^24 + unit*2^16 + start. */
const lastRead = new Map<number, number>();
const started = Date.now();

/**
 * Register value: `changePct` % of the registers change every second (a meter's live values), the
 * rest once a minute (counters, settings). Deterministic, so every run sees the same pattern.
 */
function word(unit: number, addr: number, sec: number): number {
  const fast = (addr * 37 + unit * 11) % 100 < changePct;
  return (unit * 1000 + addr + (fast ? sec : Math.floor(sec / 60))) & 0xffff;
}

function answer(gw: number, frame: Buffer, at: number): Buffer {
  const tid = frame.readUInt16BE(0);
  const unit = frame[6];
  const fc = frame[7];
  const start = frame.readUInt16BE(8);
  const count = frame.readUInt16BE(10);
  const key = gw * 2 ** 24 + unit * 2 ** 16 + start;
  const prev = lastRead.get(key);
  lastRead.set(key, at);
  reads++;
  if (prev !== undefined) {
    const d = Math.round(at - prev);
    histogram[d < 0 ? 0 : d > MAX_MS ? MAX_MS : d]++;
  }
  if ((fc !== 3 && fc !== 4) || unit < 1 || unit > units || start + count > registers || count < 1 || count > 125) {
    const ex = Buffer.alloc(9);
    ex.writeUInt16BE(tid, 0);
    ex.writeUInt16BE(3, 4);
    ex[6] = unit;
    ex[7] = fc | 0x80;
    ex[8] = unit < 1 || unit > units ? 11 : fc !== 3 && fc !== 4 ? 1 : 2;
    return ex;
  }
  const sec = Math.floor((Date.now() - started) / 1000);
  const out = Buffer.allocUnsafe(9 + count * 2);
  out.writeUInt16BE(tid, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(3 + count * 2, 4);
  out[6] = unit;
  out[7] = fc;
  out[8] = count * 2;
  for (let i = 0; i < count; i++) out.writeUInt16BE(word(unit, start + i, sec), 9 + i * 2);
  return out;
}

function serveGateway(gw: number): Promise<number> {
  const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    let buf: Buffer = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      const at = performance.now();
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      const out: Buffer[] = [];
      while (buf.length >= 7) {
        const len = 6 + buf.readUInt16BE(4);
        if (buf.length < len) break;
        out.push(answer(gw, buf.subarray(0, len), at));
        buf = buf.subarray(len);
      }
      if (out.length) sock.write(out.length === 1 ? out[0] : Buffer.concat(out));
    });
    sock.on('error', () => undefined);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as net.AddressInfo).port)));
}

function serveSink(): Promise<string> {
  const server = http.createServer((req, res) => {
    req.on('data', (d: Buffer) => (sinkBytes += d.length));
    req.on('end', () => {
      if (req.url?.startsWith('/query')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"results":[{"statement_id":0}]}');
      } else {
        res.writeHead(204, { 'X-Influxdb-Version': '1.6.7' });
        res.end();
      }
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`)));
}

function percentile(p: number): number {
  let total = 0;
  for (const n of histogram) total += n;
  if (total === 0) return NaN;
  const want = Math.ceil(total * p);
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms];
    if (seen >= want) return ms;
  }
  return MAX_MS;
}

process.on('message', (m: ToServer) => {
  if (m.cmd === 'reset') {
    // Intervals are counted from the first read after the reset: one that began during warm-up (a hub
    // still starting under load stalls there for seconds) is not the steady state being measured, and
    // with 2,000 blocks it alone was 5 % of a 20 s window's intervals, i.e. the whole p99.
    lastRead.clear();
    histogram = new Uint32Array(MAX_MS + 1);
    reads = 0;
    sinkBytes = 0;
    cpuAt = process.cpuUsage();
    wallAt = Date.now();
  } else if (m.cmd === 'report') {
    let max = 0;
    let intervals = 0;
    for (let ms = 0; ms < histogram.length; ms++) if (histogram[ms]) ((max = ms), (intervals += histogram[ms]));
    const cpu = process.cpuUsage(cpuAt);
    process.send!({ type: 'report', reads, intervals, p50: percentile(0.5), p99: percentile(0.99), max, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Date.now() - wallAt, sinkBytes } satisfies FromServer);
  } else if (m.cmd === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));

const ports: number[] = [];
for (let g = 0; g < gateways; g++) ports.push(await serveGateway(g));
process.send!({ type: 'ready', ports, sinkUrl: await serveSink() } satisfies FromServer);
