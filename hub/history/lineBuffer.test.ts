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
    ['integer (digits written by hand)', { value: 65535 }],
    ['negative integer and zero', { value: -2147483648 }],
    ['integer beyond 32 bits', { value: 4294967296 }],
    ['minus zero', { value: -0 }],
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

  it('writes numbers as String() does, and each sample its own time', () => {
    const out = new LineBuffer(4);
    const values = [0, 7, 10, 99, 100, -1, -10, 2147483647, -2147483648, 2147483648, 0.5, -0, 1e21, 123456789.25];
    for (const v of values) (out.writeNumber(v), out.endLine());
    expect(batchLines(out.take().body)).toEqual(values.map(String));
    const enc = new LineEncoder([]);
    const times = [1700000000123, 1700000000123, 1700000000124.6, 1700000000123];
    for (const readTs of times) enc.encodeInto(out, { pointId: ID, value: 1, quality: 'good', readTs });
    expect(batchLines(out.take().body).map((l) => l.split(' ').pop())).toEqual(['1700000000123', '1700000000123', '1700000000125', '1700000000123']);
  });

  it('gives each sample its own series whatever the order the samples come in', () => {
    const ids = ['hq/a/l01/r/d/x', 'hq/a/l01/r/d/y', 'hq/a/l01/r/d/z'];
    const enc = new LineEncoder(ids.map((id) => pointInfo(id, 'analog')));
    const out = new LineBuffer(16);
    for (const order of [[0, 1, 2], [0, 1, 2], [2, 0, 1], [1, 1, 0, 2]]) {
      for (const i of order) enc.encodeInto(out, { pointId: ids[i], value: i, quality: 'good', readTs: 5 });
      expect(batchLines(out.take().body)).toEqual(order.map((i) => enc.encode({ pointId: ids[i], value: i, quality: 'good', readTs: 5 })));
    }
  });

  it('flattens newlines in string fields so every sample stays one line', () => {
    const enc = new LineEncoder([]);
    expect(enc.encode({ pointId: ID, value: 'a\r\nb\nc', quality: 'good', readTs: 1 })).toContain('value_str="a b c"');
  });
});
