// The Sparkplug B mapping shared by the edge agent and the hub's host: topics, metrics ↔ samples.
import { describe, expect, it } from 'vitest';
import type { PointInfo, Sample } from '../../contracts/point.js';
import { birthMetric, datatypeOf, decode, encode, hostOnline, metricSample, parseCommandResult, parseStatus, parseTopic, sampleMetric, sparkplugTopic, statePayload, statusMetric } from './sparkplug.js';

const info: PointInfo = { id: 'hq/b/l01/r1/ahu/sp', name: { en: 'sp', 'zh-CN': 'sp' }, kind: 'analog', unit: '°C', writable: true, device: 'ahu', protocol: 'modbus', intervalMs: 1000 };

describe('sparkplug mapping', () => {
  it.each([
    ['spBv1.0/hq/NBIRTH/b', { group: 'hq', type: 'NBIRTH', node: 'b' }],
    ['spBv1.0/hq/DDATA/b/gw-b', { group: 'hq', type: 'DDATA', node: 'b', device: 'gw-b' }],
    ['spBv1.0/hq/STATE/b', null],
    ['spBv1.0/hq', null],
    ['other/hq/DDATA/b/x', null],
    ['spBv1.0/hq/DDATA/b/x/y', null],
  ])('parseTopic(%s)', (topic, want) => expect(parseTopic(topic)).toEqual(want));

  it('builds topics', () => {
    expect(sparkplugTopic('hq', 'DCMD', 'b', 'gw')).toBe('spBv1.0/hq/DCMD/b/gw');
    expect(sparkplugTopic('hq', 'NDEATH', 'b')).toBe('spBv1.0/hq/NDEATH/b');
  });

  it('a sample survives encode/decode with quality, detail, sourceTs and the historical flag', () => {
    const s: Sample = { pointId: info.id, value: null, quality: 'comm_fail', detail: 'timeout', sourceTs: 1700000000000, readTs: 1700000000123 };
    const p = decode(encode({ timestamp: 1, seq: 5, metrics: [sampleMetric(s, 'Double', true, 7)] }));
    const m = p.metrics![0] as Parameters<typeof metricSample>[0];
    expect(Number(p.seq)).toBe(5);
    expect(Number(m.alias)).toBe(7);
    expect(metricSample(m, info.id, 0)).toEqual({ sample: s, historical: true });
  });

  it('good values of every kind round-trip', () => {
    for (const [kind, value] of [['analog', 21.5], ['binary', true], ['multistate', 3], ['string', 'auto']] as const) {
      const s: Sample = { pointId: info.id, value, quality: 'good', readTs: 1700000000000 };
      const m = decode(encode({ metrics: [sampleMetric(s, datatypeOf(kind), false)] })).metrics![0] as Parameters<typeof metricSample>[0];
      expect(metricSample(m, info.id, 0)).toEqual({ sample: s, historical: false });
    }
  });

  it('a birth metric carries the metadata', () => {
    const m = decode(encode({ metrics: [birthMetric(info, 3, undefined)] })).metrics![0] as ReturnType<typeof birthMetric>;
    expect(m.name).toBe(info.id);
    expect(m.properties?.unit?.value).toBe('°C');
    expect(m.properties?.writable?.value).toBe(true);
    expect(m.properties?.kind?.value).toBe('analog');
    expect(m.value ?? null).toBeNull();
  });

  it('status, command results and host state parse, and garbage gives null', () => {
    const st = { connection: 'gw', protocol: 'modbus', state: 'online' as const, since: 5 };
    expect(parseStatus(statusMetric(st))).toEqual(st);
    expect(parseStatus({ name: 'x', type: 'String', value: '{bad' })).toBeNull();
    expect(parseStatus({ name: 'x', type: 'String', value: '{"connection":"c","state":"weird","since":1}' })).toBeNull();
    expect(parseCommandResult({ name: 'x', type: 'String', value: '{"id":"1","pointId":"p","confirmed":true}' })).toMatchObject({ confirmed: true });
    expect(parseCommandResult({ name: 'x', type: 'String', value: 42 })).toBeNull();
    expect(hostOnline(statePayload(true))).toBe(true);
    expect(hostOnline(statePayload(false))).toBe(false);
    expect(hostOnline(Buffer.from('nope'))).toBe(false);
  });
});
