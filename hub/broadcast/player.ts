// Streams a WAV to a PA endpoint as paging-grade RTP: ffmpeg only decodes the file to 8 kHz
// μ-law, or encodes it to 16 kHz G.722 for a wideband zone (faster than real time); the hub itself
// sends 20 ms packets (RFC 3551: PCMU PT 0 or G.722 PT 9, 160 bytes each), paced by a drift-free
// scheduler on its own worker thread (pacer-worker.ts), marker bit on the first packet. The endpoint may be a unicast amplifier /
// SIP paging gateway's RTP port, or a multicast group for a zone group (TTL configurable, 1 by
// default so a page never leaves the local subnet). kill() stops a zone at once (preemption).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { PacerThread } from './pacer-worker.js';
import { CODECS, isMulticast, newStreamState, packetize, PCMU } from './rtp.js';
export { isMulticast };
import { encodeMulaw, pcm8kMono } from './wav.js';

export interface Stream {
  zone: string;
  /** Resolves when the stream ends: true when the whole file was sent, false when killed or failed. */
  done: Promise<boolean>;
  kill(): void;
}

export interface RtpEndpoint {
  host: string;
  port: number;
  /** Multicast TTL (hops), for a group address. Default 1. */
  ttl?: number;
  /** Local interface address multicast leaves by (default: the OS's choice). */
  interface?: string;
  /** What the receiver decodes (the zone's `codec`); default pcmu. */
  codec?: 'pcmu' | 'g722';
}


/** WAV (any rate) → raw 8 kHz mono μ-law bytes: in process for 8 kHz mono PCM, else by ffmpeg. */
export function decodeToMulaw(file: string): { promise: Promise<Buffer>; kill(): void } {
  try {
    const pcm = pcm8kMono(fs.readFileSync(file));
    if (pcm) return { promise: Promise.resolve(encodeMulaw(pcm)), kill: () => undefined };
  } catch {
    /* unreadable here: let ffmpeg report it */
  }
  return ffmpegPipe(['-i', file, '-ar', '8000', '-ac', '1', '-f', 'mulaw', 'pipe:1']);
}

/**
 * WAV (any rate) → raw G.722 at 16 kHz, 64 kbit/s, by ffmpeg. 20 ms of real encoded silence is
 * appended (apad) so the packetizer can drop a short tail without cutting the announcement.
 */
export function encodeToG722(file: string): { promise: Promise<Buffer>; kill(): void } {
  return ffmpegPipe(['-i', file, '-af', 'apad=pad_len=320', '-ar', '16000', '-ac', '1', '-c:a', 'g722', '-f', 'g722', 'pipe:1']);
}

function ffmpegPipe(args: string[]): { promise: Promise<Buffer>; kill(): void } {
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let err = '';
  child.stdout!.on('data', (d: Buffer) => chunks.push(d));
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 2000) err += d.toString();
  });
  const promise = new Promise<Buffer>((ok, fail) => {
    child.on('error', (e) => fail(new Error(`ffmpeg could not start: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? ok(Buffer.concat(chunks)) : fail(new Error(`ffmpeg exited with ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`))));
  });
  return { promise, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

/**
 * `pacer`: the long-lived pacing thread to send on (the manager's); without one a thread is
 * started for this stream alone and closed after it (slower to the first packet).
 */
export function streamRtp(file: string, zone: string, endpoint: RtpEndpoint, onError: (msg: string) => void, pacer?: PacerThread): Stream {
  let killed = false;
  let stopPacer: (() => void) | undefined;
  const codec = CODECS[endpoint.codec ?? 'pcmu'];
  const decoder = codec.name === 'g722' ? encodeToG722(file) : decodeToMulaw(file);
  const done = (async () => {
    let audio: Buffer;
    try {
      audio = await decoder.promise;
    } catch (e) {
      if (!killed) onError(`zone ${zone}: ${(e as Error).message}`);
      return false;
    }
    if (killed) return false;
    const packets = packetize(audio, newStreamState(), codec);
    const ep = { host: endpoint.host, port: endpoint.port, multicast: isMulticast(endpoint.host), ttl: endpoint.ttl, interface: endpoint.interface };
    const thread = pacer ?? new PacerThread();
    const sending = thread.pace(packets, ep, PCMU.packetMs, (msg) => onError(`zone ${zone}: ${msg}`));
    stopPacer = () => sending.stop();
    if (killed) sending.stop();
    const ok = await sending.done;
    if (!pacer) await thread.close();
    return ok;
  })();
  return {
    zone,
    done,
    kill() {
      killed = true;
      decoder.kill();
      stopPacer?.();
    },
  };
}
