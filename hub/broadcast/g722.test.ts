// G.722 zones (RTP PT 9, 160 bytes per 20 ms, 8000 Hz RTP clock) end to end into the PA simulator,
// which decodes the audio with ffmpeg; and the worker-thread pacer.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaSimulator, type PaPlayback, type PaSimulator } from '../../simulators/pa/index.js';
import { PacerThread } from './pacer-worker.js';
import { encodeToG722, streamRtp } from './player.js';
import { CODECS, newStreamState, packetize } from './rtp.js';
import { broadcastFileSchema } from './schema.js';

const fixed = () => ({ ssrc: 1, sequence: 65535, timestamp: 0xffffff00 });

describe('packetize per codec', () => {
  it.each([
    // codec, bytes in, packets out, last payload type, timestamp step
    ['pcmu', 330, 3, 0] as const,
    ['g722', 330, 2, 9] as const, // a short G.722 tail is dropped: the encoder appended 20 ms of real silence
    ['g722', 320, 2, 9] as const,
  ])('%s: %i bytes → %i packets, PT %i, timestamps step 160', (codec, bytes, packets, pt) => {
    const st = fixed();
    const out = packetize(Buffer.alloc(bytes, 0x55), st, CODECS[codec]);
    expect(out).toHaveLength(packets);
    expect(out.every((p) => p.length === 12 + 160)).toBe(true);
    expect(out.map((p) => p[1] & 0x7f)).toEqual(Array(packets).fill(pt));
    expect(out.map((p) => p[1] >> 7)).toEqual([1, ...Array(packets - 1).fill(0)]);
    expect(out[1].readUInt32BE(4) - out[0].readUInt32BE(4)).toBe(160);
    expect(out[1].readUInt16BE(2)).toBe(0); // sequence wraps
    expect(st.timestamp).toBe((0xffffff00 + 160 * packets) >>> 0);
  });
});

describe('broadcast.yaml zone codec', () => {
  const zone = (extra: Record<string, unknown>) => ({ zones: [{ id: 'l01', name: { en: 'L1', 'zh-CN': '一层' }, kind: 'floor', endpoint: { port: 5004 }, ...extra }] });
  it('defaults to pcmu, accepts g722, refuses anything else by name', () => {
    expect(broadcastFileSchema.parse(zone({})).zones[0].codec).toBe('pcmu');
    expect(broadcastFileSchema.parse(zone({ codec: 'g722' })).zones[0].codec).toBe('g722');
    const bad = broadcastFileSchema.safeParse(zone({ codec: 'opus' }));
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path.join('.')).toBe('zones.0.codec');
    expect(bad.error!.issues[0].message).toMatch(/pcmu or g722/);
  });
});

describe('G.722 into the PA simulator', () => {
  let pa: PaSimulator;
  let dir: string;
  let wav: string;
  const record = () => path.join(dir, 'pa', 'record.jsonl');
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-g722-'));
    wav = path.join(dir, 'tone.wav');
    // 440 Hz at ffmpeg's default amplitude 1/8: RMS = 32768 / 8 / √2 ≈ 2896.
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=1', '-ac', '1', wav]);
    pa = await startPaSimulator({ zones: [{ id: 'wide' }, { id: 'narrow' }], gapMs: 300, recordFile: record() });
  }, 30_000);
  afterAll(async () => {
    await pa?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const recorded = async (zone: string): Promise<PaPlayback> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const line = fs.existsSync(record()) ? fs.readFileSync(record(), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as PaPlayback).find((l) => l.zone === zone) : undefined;
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no record line for ${zone}: ${JSON.stringify(pa.playbacks(zone))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('ffmpeg encodes 1 s of audio to 64 kbit/s G.722 (8000 bytes + 20 ms of padding)', async () => {
    const g = await encodeToG722(wav).promise;
    expect(g.length).toBeGreaterThanOrEqual(8000);
    expect(g.length).toBeLessThanOrEqual(8000 + 160 + 16);
  });

  it('a g722 zone receives PT 9, 160-byte packets, timestamps +160 per 20 ms, and decodes to the tone', async () => {
    const s = streamRtp(wav, 'wide', { host: '127.0.0.1', port: pa.ports.wide, codec: 'g722' }, (m) => { throw new Error(m); });
    expect(await s.done).toBe(true);
    const p = await recorded('wide');
    expect(p).toMatchObject({ codec: 'g722', payloadType: 9, payloadSizes: [160], badSizes: 0, badTimestampSteps: 0, lost: 0, markers: 1, firstMarked: true });
    expect(p.packets).toBeGreaterThanOrEqual(50);
    expect(p.durationMs).toBe(p.packets * 20);
    expect(p.decodeError).toBeUndefined();
    expect(p.rms).toBeGreaterThan(2896 * 0.8);
    expect(p.rms).toBeLessThan(2896 * 1.2);
  });

  it('the same tone on a pcmu zone has the same level (PT 0)', async () => {
    const s = streamRtp(wav, 'narrow', { host: '127.0.0.1', port: pa.ports.narrow }, (m) => { throw new Error(m); });
    expect(await s.done).toBe(true);
    const p = await recorded('narrow');
    expect(p).toMatchObject({ codec: 'pcmu', payloadType: 0, badSizes: 0, badTimestampSteps: 0, packets: 50 });
    expect(p.rms).toBeGreaterThan(2896 * 0.8);
    expect(p.rms).toBeLessThan(2896 * 1.2);
  });

  it('the simulator flags a wrong packet size and a wrong timestamp step', async () => {
    const sock = dgram.createSocket('udp4');
    const st = newStreamState();
    const noise = Buffer.from(Array.from({ length: 160 * 10 }, (_, i) => (i * 7919) & 0xff));
    const pkts = packetize(noise, st, CODECS.g722);
    pkts[3] = Buffer.concat([pkts[3], Buffer.alloc(20)]); // 180-byte payload
    pkts[6].writeUInt32BE((pkts[6].readUInt32BE(4) + 1) >>> 0, 4); // a timestamp off by one sample: two bad steps
    for (const b of pkts) {
      await new Promise<void>((r) => sock.send(b, pa.ports.wide, '127.0.0.1', () => r()));
      await new Promise((r) => setTimeout(r, 20));
    }
    sock.close();
    const deadline = Date.now() + 5000;
    let p: PaPlayback | undefined;
    while (!(p = pa.playbacks('wide').find((x) => x.ssrc === st.ssrc && x.ended && (x.rms !== null || x.decodeError)))) {
      if (Date.now() > deadline) throw new Error('no decoded playback');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(p).toMatchObject({ packets: 10, badSizes: 1, badTimestampSteps: 2 });
    expect(p.payloadSizes.sort()).toEqual([160, 180]);
  });
});

describe('PacerThread', () => {
  it('sends every packet in order from its own thread, then can be stopped early', async () => {
    const thread = new PacerThread().warm();
    const rx = dgram.createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
    const got: number[] = [];
    rx.on('message', (m) => got.push(m[0]));
    const pkts = Array.from({ length: 10 }, (_, i) => Buffer.from([i, 1, 2, 3]));
    const ep = { host: '127.0.0.1', port: rx.address().port, multicast: false };
    const t0 = performance.now();
    expect(await thread.pace(pkts, ep, 20, (m) => { throw new Error(m); }).done).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(9 * 20 - 2); // real time, not a burst
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    got.length = 0;
    const many = Array.from({ length: 100 }, (_, i) => Buffer.from([i]));
    const pacer = thread.pace(many, ep, 20, () => undefined);
    setTimeout(() => pacer.stop(), 100);
    expect(await pacer.done).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(50);
    // Closing the thread ends a stream in flight as not sent.
    const last = thread.pace(many, ep, 20, () => undefined);
    await thread.close();
    expect(await last.done).toBe(false);
    rx.close();
  });
});
