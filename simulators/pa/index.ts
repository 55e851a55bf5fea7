// PA simulator: one UDP socket per zone endpoint on loopback, standing in for the amplifiers.
// It receives RTP and records what played where: when, how long (samples at 8 kHz for G.711),
// which stream (SSRC) and payload type — so a test can tell that the right zones heard the message.
import dgram from 'node:dgram';
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
}

export interface PaSimulatorOptions {
  zones: Array<{ id: string; port?: number }>;
  host?: string;
  /** Silence that ends a playback (ms). Default 500. */
  gapMs?: number;
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

  const receive = (zone: string, msg: Buffer) => {
    const pkt = parseRtp(msg);
    if (!pkt) return;
    const t = Date.now();
    let p = current.get(zone);
    if (p && (p.ssrc !== pkt.ssrc || t - p.lastAt > gapMs)) {
      p.ended = true;
      p = undefined;
    }
    if (!p) {
      p = { zone, ssrc: pkt.ssrc, payloadType: pkt.payloadType, firstAt: t, lastAt: t, packets: 0, bytes: 0, durationMs: 0, level: 0, ended: false };
      current.set(zone, p);
      log.push(p);
      levelSums.set(p, 0);
    }
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
    for (const p of current.values()) if (!p.ended && t - p.lastAt > gapMs) p.ended = true;
  }, 100);
  endIdle.unref();

  try {
    for (const z of opts.zones) {
      const s = dgram.createSocket('udp4');
      s.on('message', (m) => receive(z.id, m));
      await new Promise<void>((ok, fail) => {
        s.once('error', fail);
        s.bind(z.port ?? 0, host, () => {
          s.off('error', fail);
          ok();
        });
      });
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
