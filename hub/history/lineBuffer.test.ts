import { describe, expect, it } from 'vitest';
import { LineBuffer, batchLines, batchTimeRange, lineEnds, splitBatch } from './lineBuffer.js';
import { LineEncoder } from './lineProtocol.js';
import { pointInfo } from './testHarness.js';
import type { Sample } from '../../contracts/point.js';

const ID = 'hq/a/l03/archive-301/env-1/humidity';

describe('LineBuffer', () => {
  it('collects complete lines, grows past its capacity, and starts empty after take()', () => {
    const buf = new LineBuffer(8);
    buf.writeAscii('m v=1');
    buf.writeAscii(' 10');
    buf.endLine();
    buf.writeLine('m,t=会 v="x" 20');
    buf.writeBytes(Buffer.from('m v=3 '));
    buf.writeAscii('x'.repeat(100));
    buf.endLine();
    const batch = buf.take();
    expect(batch.lines).toBe(3);
    expect(batchLines(batch.body)).toEqual(['m v=1 10', 'm,t=会 v="x" 20', `m v=3 ${'x'.repeat(100)}`]);
    expect(buf.lines).toBe(0);
    expect(buf.bytes).toBe(0);
    buf.writeLine('n 1');
    expect(batchLines(buf.take().body)).toEqual(['n 1']);
  });

  it('splits a batch into contiguous parts without losing or repeating a line', () => {
    const buf = new LineBuffer();
    for (let i = 0; i < 7; i++) buf.writeLine(`m v=${i} ${i}`);
    const batch = buf.take();
    const parts = splitBatch(batch, 3);
    expect(parts.map((p) => p.lines)).toEqual([2, 3, 2]);
    expect(parts.flatMap((p) => batchLines(p.body))).toEqual(batchLines(batch.body));
    expect(splitBatch(batch, 20).length).toBe(7);
    expect(splitBatch(batch, 1)).toEqual([batch]);
    expect(lineEnds(batch.body)).toHaveLength(7);
  });

  it('finds the time range of a batch, skipping lines without a timestamp', () => {
    const body = Buffer.from('m v=1 1700000000123\ngarbage\nm v=2 1699999999000\nm v=3 -5\nm v=4 1700000000000\n');
    expect(batchTimeRange(body)).toEqual({ min: -5, max: 1700000000123 });
    expect(batchTimeRange(Buffer.from('no time here\n'))).toBeNull();
  });
});

describe('LineEncoder.encodeInto', () => {
  it.each<[string, Partial<Sample>]>([
    ['plain number (fast path)', { value: 21.5 }],
    ['negative exponent', { value: -1.5e-7 }],
    ['other quality (fast path)', { value: 3, quality: 'comm_fail' }],
    ['boolean', { value: true }],
    ['string with a newline', { value: 'one\ntwo "q"' }],
    ['detail', { value: 1, quality: 'bad', detail: 'Modbus exception 2' }],
    ['source timestamp', { value: 2, sourceTs: 1700000000999 }],
    ['no value', { value: null, quality: 'comm_fail', detail: 'timeout' }],
    ['NaN', { value: NaN }],
  ])('writes the same bytes as encode(): %s', (_name, partial) => {
    const enc = new LineEncoder([pointInfo(ID, 'analog', { unit: '°C', name: { en: 'Humidity, 301', 'zh-CN': '湿度' } })]);
    const sample = { pointId: ID, quality: 'good', readTs: 1700000000123.4, ...partial } as Sample;
    const out = new LineBuffer(16);
    enc.encodeInto(out, sample);
    enc.encodeInto(out, { ...sample, pointId: 'hq/b/l01/x/y/unknown' });
    const lines = batchLines(out.take().body);
    expect(lines).toEqual([enc.encode(sample), enc.encode({ ...sample, pointId: 'hq/b/l01/x/y/unknown' })]);
    expect(lines[0]).not.toContain('\n');
  });

  it('flattens newlines in string fields so every sample stays one line', () => {
    const enc = new LineEncoder([]);
    expect(enc.encode({ pointId: ID, value: 'a\r\nb\nc', quality: 'good', readTs: 1 })).toContain('value_str="a b c"');
  });
});
