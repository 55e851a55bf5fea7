// BatchWriter with an in-process sink (the injection point for the InfluxDB POST): memory bound, order,
// parallel replay. The real-InfluxDB paths (outage, restart, dead letters) are in influx.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../log.js';
import { DeadLetterFile } from './deadLetter.js';
import type { WriteOutcome } from './influxHttp.js';
import { batchLines } from './lineBuffer.js';
import { Spool } from '../../lib/spool.js';
import { BatchWriter, type BatchWriterOptions } from './writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A sink that holds each POST until released, so the test decides when InfluxDB answers. */
function heldSink() {
  const received: string[][] = [];
  const pending: Array<(o: WriteOutcome) => void> = [];
  const pendingLines: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    received,
    get pending() {
      return pending.length;
    },
    /** Lines of the POSTs not answered yet. */
    pendingLines,
    get maxInFlight() {
      return maxInFlight;
    },
    send(body: Uint8Array): Promise<WriteOutcome> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      pendingLines.push(batchLines(body));
      return new Promise<WriteOutcome>((resolve) =>
        pending.push((o) => {
          inFlight--;
          if (o.ok) received.push(batchLines(body));
          resolve(o);
        }),
      );
    },
    answerAll(o: WriteOutcome = { ok: true }) {
      pendingLines.splice(0);
      for (const r of pending.splice(0)) r(o);
    },
  };
}

function writer(sink: { send(body: Uint8Array): Promise<WriteOutcome> }, extra: Partial<BatchWriterOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'watchfloor-writer-'));
  dirs.push(dir);
  const spool = new Spool(join(dir, 'spool'));
  const w = new BatchWriter({
    send: (b) => sink.send(b),
    ping: async () => true,
    spool,
    deadLetter: new DeadLetterFile(join(dir, 'dead.jsonl')),
    log: captureLogger(),
    batchSize: 10,
    flushMs: 10_000,
    maxInFlight: 2,
    retryBaseMs: 1,
    ...extra,
  });
  return { w, spool };
}

/** Lines of exactly 12 bytes with their newline, so a batch of 10 is 120 bytes. */
const lines = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const x = String(from + i).padStart(3, '0');
    return `m v=${x} ${x}`;
  });
const tick = () => new Promise((r) => setTimeout(r, 5));

async function settle(sink: ReturnType<typeof heldSink>, w: BatchWriter) {
  const done = w.flush();
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    sink.answerAll();
    await tick();
  }
}

describe('BatchWriter', () => {
  it('drops a line whose encoding failed half-way, keeping the batch well-formed', async () => {
    const sink = heldSink();
    const { w } = writer(sink, { batchSize: 3 });
    const encode = (x: string, out: import('./lineBuffer.js').LineBuffer) => {
      out.writeAscii(`m v=${x}`);
      if (x === 'bad') throw new Error('cannot encode');
      out.writeAscii(' 1');
      out.endLine();
    };
    expect(() => w.addEncoded(['1', 'bad'], encode)).toThrow('cannot encode');
    w.addEncoded(['2'], encode);
    await settle(sink, w);
    expect(sink.received.flat()).toEqual(['m v=1 1', 'm v=2 1']);
    await w.stop();
  });

  it('keeps at most maxQueuedBytes in memory, spools the rest, and delivers every line in order', async () => {
    const sink = heldSink();
    const { w, spool } = writer(sink, { maxQueuedBytes: 300 });
    w.add(lines(0, 100)); // 10 batches of 120 bytes: 2 in flight, 2 queued (240 ≤ 300 bytes), 6 spooled
    expect(sink.pending).toBe(2);
    expect(spool.bytes).toBeGreaterThan(0);
    expect(w.getStats().spooled).toBe(60);
    await settle(sink, w);
    expect(sink.received.flat()).toEqual(lines(0, 100));
    expect(spool.isEmpty).toBe(true);
    expect(w.getStats().written).toBe(100);
    await w.stop();
  });

  it('replays the spool maxInFlight batches at a time and commits a chunk only when all of it landed', async () => {
    const sink = heldSink();
    const { w, spool } = writer(sink, { maxQueuedBytes: 1 });
    w.add(lines(0, 20)); // two batches in flight
    w.add(lines(20, 10)); // queued (the first queued batch always fits)
    w.add(lines(30, 30)); // spooled
    expect(w.getStats().spooled).toBe(30);
    const bytesBefore = spool.bytes;
    expect(bytesBefore).toBe(30 * 12);
    // Answer the live batches until the replay's first chunk (lines 30..49) is out, as two parallel POSTs.
    while (!sink.pendingLines.some((l) => l.includes(lines(30, 1)[0]))) {
      sink.answerAll();
      await tick();
    }
    expect(sink.pendingLines.map((l) => l.length)).toEqual([10, 10]);
    expect(sink.pendingLines.flat()).toEqual(lines(30, 20));
    // InfluxDB fails them (with retries): the chunk is not committed, the writer goes into outage.
    while (w.getStats().connected) {
      sink.answerAll({ ok: false, retriable: true, reason: 'HTTP 503' });
      await tick();
    }
    expect(spool.bytes).toBe(bytesBefore);
    // /ping answers: the spool is replayed again from the uncommitted chunk.
    while (!w.getStats().connected || !spool.isEmpty) {
      sink.answerAll();
      await tick();
    }
    await settle(sink, w);
    expect(sink.maxInFlight).toBe(2);
    const got = sink.received.flat();
    expect(new Set(got)).toEqual(new Set(lines(0, 60)));
    expect(got.slice(0, 20)).toEqual(lines(0, 20));
    expect(spool.isEmpty).toBe(true);
    await w.stop();
  });
});
