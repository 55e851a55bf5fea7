// The value that trips an alarm rule in checkout, or why it is skipped: compiled from real rule
// text (alarms.yaml format) so the test follows the rule compiler.
import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import { compileRules } from '../alarms/rules.js';
import { alarmChecksFor, tripValue } from './alarm-check.js';

const P = 'hq/a/l05/server-501/env-1/temperature';
const B = 'hq/a/l05/server-501/door-1/forced';
const info = (id: string, kind: PointInfo['kind']): PointInfo => ({ id, name: { en: 'n', 'zh-CN': 'n' }, kind, writable: false, device: 'd', protocol: 'modbus', intervalMs: 1000 });
const msg = { en: 'm', 'zh-CN': 'm' };
const defsOf = (rules: unknown[]) => compileRules(alarmsFileSchema.parse({ rules }), new Map([[P, info(P, 'analog')], [B, info(B, 'binary')]])).defs;

describe('checkout alarm trips', () => {
  it('limits: past the limit by the deadband (at least 1); binary: the active state', () => {
    const defs = defsOf([
      { id: 't', type: 'limit', point: P, deadband: 2, limits: { high: { value: 27 }, low: { value: 15 } }, message: msg },
      { id: 'd', type: 'state', point: B, activeWhen: true, message: msg },
    ]);
    const trips = Object.fromEntries(defs.map((d) => [d.id, tripValue(d, info(d.pointId, d.pointId === P ? 'analog' : 'binary'), 60)]));
    expect(trips).toEqual({ 't.h': { value: 29 }, 't.l': { value: 13 }, d: { value: true } });
  });

  it.each([
    [{ id: 'r', type: 'rate', point: P, maxRisePerMin: 1, message: msg }, /rate-of-change/],
    [{ id: 'c', type: 'comm-fail', point: P, afterS: 30, message: msg }, /communication-failure/],
    [{ id: 'w', type: 'state', point: B, activeWhen: true, when: [{ type: 'point', point: P, equals: 1 }], message: msg }, /conditions/],
    [{ id: 'l', type: 'state', point: B, activeWhen: true, onDelayS: 300, message: msg }, /300 s delay/],
    [{ id: 'b', type: 'state', point: B, activeWhen: true, message: msg, actions: [{ type: 'broadcast', zones: ['b1'], message: msg }] }, /PA announcement/],
  ])('skips %o', (rule, why) => {
    const [def] = defsOf([rule]);
    const t = tripValue(def!, info(def!.pointId, def!.pointId === P ? 'analog' : 'binary'), 60);
    expect('skip' in t && t.skip).toMatch(why);
  });

  it('checks only alarms of the run\'s points, grouped by equipment', () => {
    const defs = defsOf([
      { id: 't', type: 'limit', point: P, limits: { high: { value: 27 }, highHigh: { value: 32 } }, message: msg },
      { id: 'd', type: 'state', point: B, activeWhen: true, message: msg },
    ]);
    const lists = alarmChecksFor(defs, new Set([P]));
    expect([...lists.keys()]).toEqual(['hq/a/l05/server-501/env-1']);
    expect(lists.get('hq/a/l05/server-501/env-1')!.map((x) => x.check.alarmId).sort()).toEqual(['t.h', 't.hh']);
  });
});
