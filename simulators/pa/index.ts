// PA simulator: one UDP socket per zone endpoint on loopback, standing in for the amplifiers.
// It receives RTP and records what played where: when, how long, which stream (SSRC) and codec
// (PCMU PT 0, or G.722 PT 9: 160 bytes per 20 ms, RTP clock 8000 Hz per RFC 3551, decoded by
// ffmpeg to check it is real audio), with the pacing it saw — so a test can tell that the right
// zones heard the message, and how well. Ended playbacks are appended to `recordFile` (JSON lines).
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { decodeG722, rms } from './g722.js';
import { mulawLevel, mulawToLinear, parseRtp } from './rtp.js';

const CODEC_OF: Record<number, PaPlayback['codec']> = { 0: 'pcmu', 8: 'pcma', 9: 'g722' };
/** Keep at most 10 minutes of G.722 (8 kB/s) per playback for the decode check. */
const MAX_G722_BYTES = 10 * 60 * 8000;

export interface PaPlayback {
  zone: string;
  ssrc: number;
  payloadType: number;
  firstAt: number;
  lastAt: number;
  packets: number;
  /** Payload bytes; for PCMU/PCMA (PT 0/8) one byte per 8 kHz sample. */
  bytes: number;
  /** Audio duration: bytes ÷ 8 for G.711, else packets × 20 ms. */
  durationMs: number;
  /** Mean absolute amplitude of the decoded μ-law audio (0 = silence). */
  level: number;
  /** True once no packet came for `gapMs`, or another stream took the zone over. */
  ended: boolean;
  /** Packets with the marker bit (talk-spurt starts; 1 for one announcement). */
  markers: number;
  /** Was the first packet of the playback marked? */
  firstMarked: boolean;
  /** Payload bytes of each packet seen (e.g. [160] for 20 ms PCMU). */
  payloadSizes: number[];
  /** Sequence numbers skipped (lost or reordered packets). */
  lost: number;
  /** Inter-arrival time at the receiver (ms): median, 99th percentile, max. */
  interArrival: { p50: number; p99: number; max: number };
  /** p99 of |arrival gap − 20 ms| (ms): the receiver's jitter figure (paging target ≤ 5). */
  jitterP99Ms: number;
  /** Arrival gaps longer than 40 ms (two packet times): an audible drop-out in a small jitter buffer. */
  gaps: number;
  /** pcmu / pcma / g722 from the payload type, else 'unknown'. */
  codec: 'pcmu' | 'pcma' | 'g722' | 'unknown';
  /** Packets whose payload is not 160 bytes (20 ms of G.711 or G.722). */
  badSizes: number;
  /** Consecutive packets whose RTP timestamp did not step by 160 × the sequence step (8000 Hz clock, also for G.722). */
  badTimestampSteps: number;
  /** RMS (0..32768) of the decoded audio: PCMU as it arrives, G.722 once decoded by ffmpeg at the end; null until known. */
  rms: number | null;
  /** Why a G.722 decode failed, if it did. */
  decodeError?: string;
  /** RFC 3550 §6.4.1 interarrival jitter estimate (ms), from arrival vs RTP timestamp. */
  jitterMs: number;
}

export interface PaSimulatorOptions {
  /** `group`: also listen on this multicast group (a zone group's address), joined on `host`. */
  zones: Array<{ id: string; port?: number; group?: string }>;
  host?: string;
  /** Silence that ends a playback (ms). Default 500. */
  gapMs?: number;
  /** Append each ended playback as one JSON line here (the play record survives a restart). */
  recordFile?: string;
}

/** Summary of a record line read back from disk or memory (what the console shows). */
export function recordTail(file: string | undefined, live: PaPlayback[], limit: number): PaPlayback[] {
  const out: PaPlayback[] = [];
  if (file && fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const line of text.split('\n').slice(-(limit + 1))) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as PaPlayback);
      } catch {
        /* a torn last line after a crash: skip it */
      }
    }
  } else out.push(...live.filter((p) => p.ended));
  // In-progress playbacks are not on disk yet; show them too.
  out.push(...live.filter((p) => !p.ended));
  return out.sort((a, b) => b.firstAt - a.firstAt).slice(0, limit);
}

export interface PaSimulator {
  ports: Record<string, number>;
  playbacks(zone?: string): PaPlayback[];
  /** Resolves with the first playback matching `pred`, checking on every packet. */
  waitFor(pred: (p: PaPlayback) => boolean, timeoutMs?: number): Promise<PaPlayback>;
  onPacket(listener: (zone: string, p: PaPlayback) => void): () => void;
  /** The last `limit` playbacks, newest first: the on-disk record (if any) plus what is playing now. */
  record(limit?: number): PaPlayback[];
  /** Forget what played so far. */
  clear(): void;
  stop(): Promise<void>;
}

export async function startPaSimulator(opts: PaSimulatorOptions): Promise<PaSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const gapMs = opts.gapMs ?? 500;
  const sockets = new Map<string, dgram.Socket>();
  const ports: Record<string, number> = {};
  const log: PaPlayback[] = [];
  const current = new Map<string, PaPlayback>();
  const levelSums = new WeakMap<PaPlayback, number>();
  const listeners = new Set<(zone: string, p: PaPlayback) => void>();
  const timing = new WeakMap<PaPlayback, { gaps: number[]; lastArrival: number; firstTs: number; lastSeq: number; lastTs: number; transit: number | null; jitter: number }>();
  const g722 = new WeakMap<PaPlayback, Buffer[]>();
  const squares = new WeakMap<PaPlayback, number>();
  const recordFile = opts.recordFile;
  if (recordFile) fs.mkdirSync(path.dirname(recordFile), { recursive: true });
  let stopped = false;
  const write = (p: PaPlayback) => {
    if (recordFile && !stopped) fs.appendFileSync(recordFile, `${JSON.stringify(p)}\n`);
  };
  const end = (p: PaPlayback) => {
    if (p.ended) return;
    p.ended = true;
    const chunks = g722.get(p);
    if (!chunks) return write(p);
    g722.delete(p);
    // The record line waits for the decode so it carries the level of what was really heard.
    decodeG722(Buffer.concat(chunks))
      .then((pcm) => {
        p.rms = rms(pcm);
      })
      .catch((err: Error) => {
        p.decodeError = err.message;
      })
      .finally(() => write(p));
  };

  const receive = (zone: string, msg: Buffer) => {
    const pkt = parseRtp(msg);
    if (!pkt) return;
    const t = Date.now();
    let p = current.get(zone);
    if (p && (p.ssrc !== pkt.ssrc || t - p.lastAt > gapMs)) {
      end(p);
      p = undefined;
    }
    const arrival = performance.now();
    if (!p) {
      p = {
        zone, ssrc: pkt.ssrc, payloadType: pkt.payloadType, firstAt: t, lastAt: t, packets: 0, bytes: 0, durationMs: 0, level: 0, ended: false,
        markers: 0, firstMarked: pkt.marker, payloadSizes: [], lost: 0, interArrival: { p50: 0, p99: 0, max: 0 }, jitterMs: 0,
        jitterP99Ms: 0, gaps: 0, codec: CODEC_OF[pkt.payloadType] ?? 'unknown', badSizes: 0, badTimestampSteps: 0, rms: null,
      };
      current.set(zone, p);
      log.push(p);
      levelSums.set(p, 0);
      squares.set(p, 0);
      if (pkt.payloadType === 9) g722.set(p, []);
      timing.set(p, { gaps: [], lastArrival: arrival, firstTs: pkt.timestamp, lastSeq: pkt.sequence, lastTs: pkt.timestamp, transit: null, jitter: 0 });
    } else {
      const tm = timing.get(p)!;
      const gap = arrival - tm.lastArrival;
      tm.gaps.push(gap);
      if (gap > 40) p.gaps++;
      const sorted = tm.gaps.slice().sort((a, b) => a - b);
      const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
      p.interArrival = { p50: at(sorted, 0.5), p99: at(sorted, 0.99), max: sorted[sorted.length - 1] };
      p.jitterP99Ms = at(tm.gaps.map((g) => Math.abs(g - 20)).sort((a, b) => a - b), 0.99);
      const seqStep = (pkt.sequence - tm.lastSeq + 0x10000) & 0xffff;
      p.lost += (seqStep - 1 + 0x10000) & 0xffff;
      if (((pkt.timestamp - tm.lastTs) >>> 0) !== (seqStep * 160) >>> 0) p.badTimestampSteps++;
      tm.lastArrival = arrival;
      tm.lastSeq = pkt.sequence;
      tm.lastTs = pkt.timestamp;
    }
    {
      // RFC 3550 A.8: J += (|D| - J) / 16, D from arrival and RTP timestamp (8 kHz clock for PCMU).
      const tm = timing.get(p)!;
      const transit = arrival - ((pkt.timestamp - tm.firstTs) >>> 0) / 8; // unwrapped RTP time, ms
      if (tm.transit !== null) tm.jitter += (Math.abs(transit - tm.transit) - tm.jitter) / 16;
      tm.transit = transit;
      p.jitterMs = tm.jitter;
    }
    if (pkt.marker) p.markers++;
    if (!p.payloadSizes.includes(pkt.payload.length)) p.payloadSizes.push(pkt.payload.length);
    p.lastAt = t;
    p.packets++;
    p.bytes += pkt.payload.length;
    // G.711 and G.722 both carry 8 bytes per ms (64 kbit/s).
    const known = pkt.payloadType === 0 || pkt.payloadType === 8 || pkt.payloadType === 9;
    p.durationMs = known ? p.bytes / 8 : p.packets * 20;
    if (known && pkt.payload.length !== 160) p.badSizes++;
    if (pkt.payloadType === 0) {
      const sum = levelSums.get(p)! + mulawLevel(pkt.payload) * pkt.payload.length;
      levelSums.set(p, sum);
      p.level = sum / p.bytes;
      let sq = squares.get(p)!;
      for (const b of pkt.payload) sq += mulawToLinear(b) ** 2;
      squares.set(p, sq);
      p.rms = Math.sqrt(sq / p.bytes);
    }
    const g = g722.get(p);
    if (g && p.bytes <= MAX_G722_BYTES) g.push(Buffer.from(pkt.payload));
    for (const l of listeners) l(zone, p);
  };

  const endIdle = setInterval(() => {
    const t = Date.now();
    for (const p of current.values()) if (!p.ended && t - p.lastAt > gapMs) end(p);
  }, 100);
  endIdle.unref();

  try {
    for (const z of opts.zones) {
      const s = dgram.createSocket({ type: 'udp4', reuseAddr: !!z.group });
      s.on('message', (m) => receive(z.id, m));
      await new Promise<void>((ok, fail) => {
        s.once('error', fail);
        // A group member binds the wildcard address (group datagrams are not addressed to `host`).
        s.bind(z.port ?? 0, z.group ? undefined : host, () => {
          s.off('error', fail);
          ok();
        });
      });
      if (z.group) s.addMembership(z.group, host);
      sockets.set(z.id, s);
      ports[z.id] = s.address().port;
    }
  } catch (err) {
    for (const s of sockets.values()) s.close();
    clearInterval(endIdle);
    throw err;
  }

  const onPacket = (l: (zone: string, p: PaPlayback) => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  };
  return {
    ports,
    onPacket,
    playbacks: (zone) => log.filter((p) => zone === undefined || p.zone === zone),
    record: (limit = 50) => recordTail(recordFile, log, limit),
    waitFor(pred, timeoutMs = 15_000) {
      const hit = log.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => {
          off();
          fail(new Error(`PA simulator: no playback matched within ${timeoutMs} ms (have: ${JSON.stringify(log.map((p) => ({ zone: p.zone, ms: p.durationMs })))})`));
        }, timeoutMs);
        const off = onPacket((_z, p) => {
          if (!pred(p)) return;
          clearTimeout(timer);
          off();
          ok(p);
        });
      });
    },
    clear() {
      log.length = 0;
      current.clear();
    },
    async stop() {
      stopped = true;
      clearInterval(endIdle);
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((ok) => s.close(() => ok()))));
      sockets.clear();
    },
  };
}
