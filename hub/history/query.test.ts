import { describe, expect, it } from 'vitest';
import { autoStep, ParamError, parseEnergyRequest, parseStep, parseTime, parseTrendRequest } from './query.js';

const P = 'hq/a/l03/archive-301/env-1/humidity';
const NOW = Date.UTC(2024, 2, 10, 12, 0, 0);

describe('history request parsing', () => {
  it.each([
    ['2024-03-01T00:00:00+08:00', Date.UTC(2024, 1, 29, 16)],
    ['1709222400000', 1709222400000],
  ])('parseTime(%s)', (text, ms) => expect(parseTime('from', text)).toBe(ms));

  it.each(['yesterday', '-5', '2024-13-45'])('parseTime rejects %s naming the param', (text) => {
    expect(() => parseTime('from', text)).toThrow(/^from: /);
  });

  it.each([
    ['60000', 60_000],
    ['30s', 30_000],
    ['1h', 3_600_000],
  ])('parseStep(%s)', (text, ms) => expect(parseStep(text)).toBe(ms));
  it.each(['500ms', '0', 'fast'])('parseStep rejects %s', (t) => expect(() => parseStep(t)).toThrow(ParamError));

  it.each([
    [3_600_000, 2000, 2_000],
    [86_400_000, 2000, 60_000],
    [7 * 86_400_000, 2000, 600_000],
    [365 * 86_400_000, 2000, 21_600_000],
    [20 * 365 * 86_400_000, 2000, 7 * 86_400_000],
  ])('autoStep(%i ms, %i buckets) = %i', (range, max, step) => {
    expect(autoStep(range, max)).toBe(step);
    expect(range / autoStep(range, max)).toBeLessThanOrEqual(max);
  });

  it('defaults to the last 24 h, mean, an automatic step, whole buckets', () => {
    const req = parseTrendRequest({ points: `${P}, ${P}` }, NOW + 5, 'Asia/Shanghai', 2000);
    expect(req).toEqual({ points: [P], from: NOW - 86_400_000, to: NOW + 60_000, stepMs: 60_000, agg: 'mean', offsetMs: 0 });
  });

  it('aligns day steps to local midnight', () => {
    const req = parseTrendRequest({ points: P, from: String(NOW), to: String(NOW + 3 * 86_400_000), step: '1d' }, NOW, 'Asia/Shanghai', 2000);
    expect(req.offsetMs).toBe(16 * 3_600_000);
    expect(req.from).toBe(Date.UTC(2024, 2, 9, 16)); // 2024-03-10 00:00 +08:00
  });

  it.each([
    [{}, 'points'],
    [{ points: P, agg: 'avg' }, 'agg'],
    [{ points: P, from: '2000', to: '1000' }, 'from'],
    [{ points: P, from: '0', to: String(NOW), step: '1m' }, 'step'],
    [{ points: Array.from({ length: 51 }, (_, i) => `${P}${i}`).join(',') }, 'points'],
  ])('rejects %j naming %s', (q, param) => {
    try {
      parseTrendRequest(q, NOW, 'UTC', 2000);
      expect.unreachable();
    } catch (err) {
      expect((err as ParamError).param).toBe(param);
    }
  });

  it('energy rounds from down to the local interval and validates', () => {
    const req = parseEnergyRequest({ meters: P, from: '2024-03-10T09:30:00+08:00', to: '2024-03-12T00:00:00+08:00', interval: 'day' }, 'Asia/Shanghai');
    expect(req.from).toBe(Date.UTC(2024, 2, 9, 16));
    expect(() => parseEnergyRequest({ meters: P, from: '0', to: String(NOW), interval: 'hour' }, 'UTC')).toThrow(/^to: range too long/);
    expect(() => parseEnergyRequest({ meters: P, from: '0', to: '1', interval: 'year' }, 'UTC')).toThrow(/^interval/);
  });
});
