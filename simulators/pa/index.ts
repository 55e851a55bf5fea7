// PA simulator: one UDP socket per zone endpoint on loopback, standing in for the amplifiers.
// It receives RTP and records what played where: when, how long (samples at 8 kHz for G.711),
// which stream (SSRC) and payload type — so a test can tell that the right zones heard the message.
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { mulawLevel, parseRtp } from './rtp.js';

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

export interface PaSimulator {
  ports: Record<string, number>;
  playbacks(zone?: string): PaPlayback[];
  /** Resolves with the first playback matching `pred`, checking on every packet. */
  waitFor(pred: (p: PaPlayback) => boolean, timeoutMs?: number): Promise<PaPlayback>;
  onPacket(listener: (zone: string, p: PaPlayback) => void): () => void;
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
  const timing = new WeakMap<PaPlayback, { gaps: number[]; lastArrival: number; firstTs: number; lastSeq: number; transit: number | null; jitter: number }>();
  const recordFile = opts.recordFile;
  if (recordFile) fs.mkdirSync(path.dirname(recordFile), { recursive: true });
  const end = (p: PaPlayback) => {
    if (p.ended) return;
    p.ended = true;
    if (recordFile) fs.appendFileSync(recordFile, `${JSON.stringify(p)}\n`);
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
      };
      current.set(zone, p);
      log.push(p);
      levelSums.set(p, 0);
      timing.set(p, { gaps: [], lastArrival: arrival, firstTs: pkt.timestamp, lastSeq: pkt.sequence, transit: null, jitter: 0 });
    } else {
      const tm = timing.get(p)!;
      tm.gaps.push(arrival - tm.lastArrival);
      const sorted = tm.gaps.slice().sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      p.interArrival = { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
      p.lost += (pkt.sequence - tm.lastSeq - 1 + 0x10000) & 0xffff;
      tm.lastArrival = arrival;
      tm.lastSeq = pkt.sequence;
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
    const g711 = pkt.payloadType === 0 || pkt.payloadType === 8;
    p.durationMs = g711 ? p.bytes / 8 : p.packets * 20;
    if (pkt.payloadType === 0) {
      const sum = levelSums.get(p)! + mulawLevel(pkt.payload) * pkt.payload.length;
      levelSums.set(p, sum);
      p.level = sum / p.bytes;
    }
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
      clearInterval(endIdle);
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((ok) => s.close(() => ok()))));
      sockets.clear();
    },
  };
}
