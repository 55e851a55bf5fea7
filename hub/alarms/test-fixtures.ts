// Shared by the alarm tests: an alarm definition with overridable fields, point states, points.
import type { PointInfo, PointState, PointValue, Quality } from '../../contracts/point.js';
import type { AlarmDef } from './rules.js';

export function testDef(over: Partial<AlarmDef> = {}): AlarmDef {
  return {
    id: 'leak', ruleId: 'leak', pointId: 'hq/a/b1/archive-b101/leak-1/leak', priority: 'critical', area: 'a/b1/archive-b101',
    message: { en: 'Leak', 'zh-CN': '漏水' }, detector: { kind: 'state', values: [true] },
    onDelayMs: 0, offDelayMs: 0, latching: false, reAlarmMs: 0, maxShelveMs: 60 * 60_000, escalateMs: 0, actions: [], dependsOn: [],
    ...over,
  };
}

export function ps(id: string, value: PointValue, readTs = 0, quality: Quality = 'good'): PointState {
  return { id, value, quality, readTs, changedTs: readTs };
}

export function pointInfo(id: string, kind: PointInfo['kind'], extra: Partial<PointInfo> = {}): PointInfo {
  return { id, name: { en: id, 'zh-CN': id }, kind, writable: false, device: id.split('/')[4], protocol: 'test', intervalMs: 1000, ...extra };
}
