// The PA simulator's play record: kept on disk (JSON lines), read back newest first with what is
// playing now, and served by the simulators' control channel as GET /pa/record (token required).
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paRecordEntryOf } from '../../contracts/pa.js';
import type { SimAdapters } from '../control/engine.js';
import { startSimControl, TOKEN_HEADER, type SimControl } from '../control/server.js';
import { recordTail, startPaSimulator, type PaPlayback, type PaSimulator } from './index.js';

/** A minimal RTP packet: PT, marker, sequence, timestamp, SSRC, 160-byte payload. */
function rtp(pt: number, marker: boolean, seq: number, ts: number, ssrc: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xff);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

const noSims: SimAdapters = {
  field: () => { throw new Error('none'); },
  endpoint: () => { throw new Error('none'); },
  scenarios: () => [],
  playScenario: async () => undefined,
  connections: () => [],
};

let dir: string;
let pa: PaSimulator;
let control: SimControl;
let bare: SimControl;
const file = () => path.join(dir, 'pa', 'record.jsonl');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-pa-record-'));
  pa = await startPaSimulator({ zones: [{ id: 'l01' }, { id: 'l02' }], gapMs: 150, recordFile: file() });
  control = await startSimControl(noSims, { paRecord: (n) => pa.record(n) });
  bare = await startSimControl(noSims);
});
afterAll(async () => {
  await control?.stop();
  await bare?.stop();
  await pa?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function send(zone: string, pkts: Buffer[]): Promise<void> {
  const s = dgram.createSocket('udp4');
  for (const p of pkts) {
    await new Promise<void>((r) => s.send(p, pa.ports[zone], '127.0.0.1', () => r()));
    await new Promise((r) => setTimeout(r, 20));
  }
  s.close();
}

async function ended(zone: string, ssrc: number): Promise<PaPlayback> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const p = pa.playbacks(zone).find((x) => x.ssrc === ssrc && x.ended);
    if (p && fs.existsSync(file()) && fs.readFileSync(file(), 'utf8').includes(`"ssrc":${ssrc}`)) return p;
    if (Date.now() > deadline) throw new Error(`no ended playback ${ssrc}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('the PA play record', () => {
  it('is written to disk and read back newest first, with codec, markers and pacing', async () => {
    await send('l01', [0, 1, 2, 3].map((i) => rtp(0, i === 0, 100 + i, 1000 + 160 * i, 11)));
    await ended('l01', 11);
    await send('l02', [0, 1, 2].map((i) => rtp(9, i === 0, 7 + i, 50 + 160 * i, 22)));
    await ended('l02', 22);
    const rec = pa.record(10);
    expect(rec.map((r) => r.ssrc)).toEqual([22, 11]);
    expect(rec[0]).toMatchObject({ zone: 'l02', codec: 'g722', payloadType: 9, packets: 3, markers: 1, firstMarked: true, badSizes: 0, badTimestampSteps: 0, durationMs: 60 });
    expect(rec[1]).toMatchObject({ zone: 'l01', codec: 'pcmu', packets: 4, durationMs: 80, lost: 0, gaps: 0 });
    expect(pa.record(1).map((r) => r.ssrc)).toEqual([22]);
  });

  it('survives a restart: a new simulator on the same file reads the old lines', async () => {
    const again = await startPaSimulator({ zones: [{ id: 'l01' }], recordFile: file() });
    try {
      expect(again.record(10).map((r) => r.ssrc)).toEqual(expect.arrayContaining([11, 22]));
    } finally {
      await again.stop();
    }
  });

  it('skips a torn last line (a crash mid-write)', () => {
    const f = path.join(dir, 'torn.jsonl');
    fs.writeFileSync(f, `${JSON.stringify({ zone: 'a', firstAt: 1, ended: true })}\n{"zone":"b","fir`);
    expect(recordTail(f, [], 10).map((r) => r.zone)).toEqual(['a']);
  });

  it('is served by the control channel with the token; a bad limit is a 400; no PA simulator = empty', async () => {
    const get = (c: SimControl, q: string, token = c.token) => fetch(`${c.url}/pa/record${q}`, { headers: { [TOKEN_HEADER]: token } });
    const ok = await get(control, '?limit=5');
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { available: boolean; items: Array<Record<string, unknown>> };
    expect(body.available).toBe(true);
    expect(body.items.map((i) => paRecordEntryOf(i)!.zone)).toEqual(['l02', 'l01']);
    expect((await get(control, '?limit=0')).status).toBe(400);
    expect((await get(control, '?limit=abc')).status).toBe(400);
    expect((await get(control, '', 'wrong')).status).toBe(401);
    expect(await (await get(bare, '')).json()).toEqual({ available: false, items: [] });
  });
});

describe('paRecordEntryOf', () => {
  it.each([
    [{ zone: 'l01', payloadType: 9 }, 'g722'],
    [{ zone: 'l01', payloadType: 0, codec: 'pcmu' }, 'pcmu'],
    [{ zone: 'l01', payloadType: 96 }, 'unknown'],
  ])('an older or partial line %j still shows codec %s', (raw, codec) => {
    expect(paRecordEntryOf(raw)).toMatchObject({ zone: 'l01', codec, jitterP99Ms: 0, gaps: 0 });
  });
  it('drops a line without a zone', () => {
    expect(paRecordEntryOf({ packets: 3 })).toBeNull();
  });
});
