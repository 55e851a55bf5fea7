// Paging-grade RTP: packet layout (pure), the drift-free pacer (fake clock), and a real stream
// into the PA simulator over unicast and over a multicast group on loopback.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaSimulator, type PaSimulator } from '../../simulators/pa/index.js';
import { pace } from './pacer.js';
import { isMulticast, streamRtp } from './player.js';
import { packetize, rtpPacket } from './rtp.js';

describe('rtp packets (RFC 3550 / 3551 PCMU)', () => {
  it('writes V=2, marker, PT 0, sequence, timestamp and SSRC big-endian', () => {
    const p = rtpPacket({ ssrc: 0xdeadbeef, sequence: 0xfffe, timestamp: 0x01020304 }, Buffer.from([1, 2]), true);
    expect(p.toString('hex')).toBe('8080fffe01020304deadbeef0102');
    expect(rtpPacket({ ssrc: 1, sequence: 2, timestamp: 3 }, Buffer.alloc(0), false)[1]).toBe(0x00);
  });

  it('cuts 20 ms packets of 160 bytes, marks only the first, pads the last with μ-law silence, wraps sequence and timestamp', () => {
    const state = { ssrc: 7, sequence: 0xffff, timestamp: 0xffffff00 };
    const pkts = packetize(Buffer.alloc(400, 0x55), state);
    expect(pkts.map((p) => p.length - 12)).toEqual([160, 160, 160]);
    expect(pkts.map((p) => (p[1] & 0x80) !== 0)).toEqual([true, false, false]);
    expect(pkts.map((p) => p.readUInt16BE(2))).toEqual([0xffff, 0, 1]);
    expect(pkts.map((p) => p.readUInt32BE(4))).toEqual([0xffffff00, 0xffffffa0, 0x40]); // +160 per packet, wrapping at 2^32
    expect(pkts[2].subarray(12 + 80)).toEqual(Buffer.alloc(80, 0xff));
    expect(state).toEqual({ ssrc: 7, sequence: 2, timestamp: (0xffffff00 + 480) >>> 0 });
  });

  it.each([['239.255.0.1', true], ['224.0.0.251', true], ['10.0.0.5', false], ['240.0.0.1', false], ['pa.local', false]])('isMulticast(%s) = %s', (h, m) => expect(isMulticast(h)).toBe(m));
});

describe('pace (drift-free)', () => {
  it('sends packet i at start + i × interval even when every timer fires late', async () => {
    let clock = 1000;
    const sentAt: number[] = [];
    // The fake clock moves 1 ms per turn whatever the timers asked for, so wake-ups come late and
    // irregularly; a "previous + 20 ms" scheduler would accumulate that lateness.
    const p = pace(50, 20, () => sentAt.push(clock), () => clock);
    while (sentAt.length < 50) {
      clock += 1;
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await p.done).toBe(true);
    for (let i = 0; i < 50; i++) expect(sentAt[i] - 1000 - i * 20).toBeLessThanOrEqual(1);
  });

  it('stop() ends early with false', async () => {
    const p = pace(1000, 20, () => {});
    p.stop();
    expect(await p.done).toBe(false);
  });
});

describe('streamRtp into the PA simulator', () => {
  let pa: PaSimulator;
  let dir: string;
  let wav: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-rtp-'));
    wav = path.join(dir, 'tone.wav');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=0.5', '-ac', '1', wav]);
    pa = await startPaSimulator({ zones: [{ id: 'l01' }, { id: 'group-a', port: 0, group: '239.255.42.1' }], gapMs: 300, recordFile: path.join(dir, 'pa', 'record.jsonl') });
  }, 30_000);
  /** The zone's latest playback once the simulator has seen its silence gap. */
  const ended = async (zone: string) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const p = pa.playbacks(zone).at(-1);
      if (p?.ended) return p;
      if (Date.now() > deadline) throw new Error(`no ended playback in ${zone}: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  afterAll(async () => {
    await pa?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('unicast: 25 packets of 160 bytes, one marker, no loss, the play record written to disk', async () => {
    const s = streamRtp(wav, 'l01', { host: '127.0.0.1', port: pa.ports.l01 }, (m) => { throw new Error(m); });
    expect(await s.done).toBe(true);
    const p = await ended('l01');
    expect(p).toMatchObject({ payloadType: 0, packets: 25, bytes: 4000, durationMs: 500, markers: 1, firstMarked: true, payloadSizes: [160], lost: 0 });
    expect(p.level).toBeGreaterThan(1000);
    const lines = fs.readFileSync(path.join(dir, 'pa', 'record.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.zone === 'l01' && l.packets === 25 && l.markers === 1)).toBe(true);
  });

  it('multicast: a zone group hears the stream on its group address (TTL 1, loopback)', async () => {
    const s = streamRtp(wav, 'group-a', { host: '239.255.42.1', port: pa.ports['group-a'], ttl: 1, interface: '127.0.0.1' }, (m) => { throw new Error(m); });
    expect(await s.done).toBe(true);
    const p = await ended('group-a');
    expect(p).toMatchObject({ packets: 25, markers: 1, lost: 0, payloadSizes: [160] });
  });

  it('kill() stops a stream at once (preemption)', async () => {
    const s = streamRtp(wav, 'l01', { host: '127.0.0.1', port: pa.ports.l01 }, () => {});
    setTimeout(() => s.kill(), 150);
    expect(await s.done).toBe(false);
  });
});
