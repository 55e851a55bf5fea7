// Streams a WAV to a PA endpoint as paging-grade RTP: ffmpeg only decodes the file to 8 kHz
// μ-law (faster than real time); the hub itself sends 20 ms PCMU packets (RFC 3551), paced by a
// drift-free scheduler, marker bit on the first packet. The endpoint may be a unicast amplifier /
// SIP paging gateway's RTP port, or a multicast group for a zone group (TTL configurable, 1 by
// default so a page never leaves the local subnet). kill() stops a zone at once (preemption).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import { pace } from './pacer.js';
import { newStreamState, packetize, PCMU } from './rtp.js';
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
}

export function isMulticast(host: string): boolean {
  const first = Number(host.split('.')[0]);
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239;
}

/** WAV (any rate) → raw 8 kHz mono μ-law bytes: in process for 8 kHz mono PCM, else by ffmpeg. */
export function decodeToMulaw(file: string): { promise: Promise<Buffer>; kill(): void } {
  try {
    const pcm = pcm8kMono(fs.readFileSync(file));
    if (pcm) return { promise: Promise.resolve(encodeMulaw(pcm)), kill: () => undefined };
  } catch {
    /* unreadable here: let ffmpeg report it */
  }
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', file, '-ar', '8000', '-ac', '1', '-f', 'mulaw', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

export function streamRtp(file: string, zone: string, endpoint: RtpEndpoint, onError: (msg: string) => void): Stream {
  let killed = false;
  let stopPacer: (() => void) | undefined;
  const decoder = decodeToMulaw(file);
  const done = (async () => {
    let audio: Buffer;
    try {
      audio = await decoder.promise;
    } catch (e) {
      if (!killed) onError(`zone ${zone}: ${(e as Error).message}`);
      return false;
    }
    if (killed) return false;
    const packets = packetize(audio, newStreamState());
    const sock = dgram.createSocket('udp4');
    try {
      await new Promise<void>((ok, fail) => {
        sock.once('error', fail);
        sock.bind(0, () => ok());
      });
      if (isMulticast(endpoint.host)) {
        sock.setMulticastTTL(endpoint.ttl ?? 1);
        if (endpoint.interface) sock.setMulticastInterface(endpoint.interface);
        sock.setMulticastLoopback(true); // a PA simulator (or monitor) on this host hears it too
      }
      sock.on('error', (e) => onError(`zone ${zone}: ${e.message}`));
      const pacer = pace(packets.length, PCMU.packetMs, (i) => sock.send(packets[i], endpoint.port, endpoint.host));
      stopPacer = () => pacer.stop();
      if (killed) pacer.stop();
      const ok = await pacer.done;
      if (ok) await new Promise((r) => setTimeout(r, 20)); // let the last datagram leave before closing
      return ok;
    } catch (e) {
      onError(`zone ${zone}: ${(e as Error).message}`);
      return false;
    } finally {
      sock.close();
    }
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
