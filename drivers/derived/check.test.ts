import { describe, expect, it } from 'vitest';
import type { BoundPoint } from '../../contracts/driver.js';
import type { PointInfo, PointKind } from '../../contracts/point.js';
import { checkDerivedConfig } from './check.js';
import type { DerivedSource } from './schema.js';

const CIRCUIT = 'hq/a/b1/weak-b104/lighting-b1/parking-a';
const FLOW = 'hq/a/b1/pump-b101/water-main/flow';
const info = (id: string, kind: PointKind, protocol = 'modbus'): PointInfo => ({ id, name: { en: id, 'zh-CN': id }, kind, writable: false, device: 'x', protocol, intervalMs: 1000 });
const site = { points: new Map([[CIRCUIT, info(CIRCUIT, 'binary')], [FLOW, info(FLOW, 'analog')], ['hq/a/b1/weak-b104/lamp-faults/ramp', info('hq/a/b1/weak-b104/lamp-faults/ramp', 'binary', 'derived')]]) };

function entry(points: Array<{ signal: string; of: string; kind?: PointKind; writable?: boolean; id?: string }>) {
  return [{
    index: 2,
    device: { id: 'lamp-faults', connection: 'derived', options: {} },
    connection: { id: 'derived', protocol: 'derived', options: { heartbeatMs: 10_000 } },
    points: points.map((p, i) => ({
      index: i,
      point: {
        info: { ...info(`hq/a/b1/weak-b104/lamp-faults/${p.id ?? `p${i}`}`, p.kind ?? 'binary', 'derived'), writable: p.writable ?? false },
        device: 'lamp-faults', connection: 'derived', source: { signal: p.signal, of: p.of },
      } as BoundPoint<DerivedSource>,
    })),
  }];
}

describe('derived config cross-checks', () => {
  it.each([
    ['a lamp fault of a circuit', [{ signal: 'lamp-fault', of: CIRCUIT }], []],
    ['a night-flow leak of a flow meter', [{ signal: 'night-flow-leak', of: FLOW }], []],
    ['an unknown signal', [{ signal: 'lamp-fualt', of: CIRCUIT }], [[['devices', 2, 'points', 0, 'source', 'signal'], 'unknown signal "lamp-fualt" (known: lamp-fault, night-flow-leak)']]],
    ['an unknown source point', [{ signal: 'lamp-fault', of: 'hq/a/b1/weak-b104/lighting-b1/nowhere' }], [[['devices', 2, 'points', 0, 'source', 'of'], expect.stringContaining('unknown point "hq/a/b1/weak-b104/lighting-b1/nowhere"')]]],
    ['a source of the wrong kind', [{ signal: 'night-flow-leak', of: CIRCUIT }], [[['devices', 2, 'points', 0, 'source', 'of'], expect.stringContaining('is binary; night-flow-leak is derived from a water flow meter')]]],
    ['a derived point of the wrong kind', [{ signal: 'lamp-fault', of: CIRCUIT, kind: 'analog' }], [[['devices', 2, 'points', 0, 'kind'], 'a lamp-fault point is binary, not analog']]],
    ['a writable derived point', [{ signal: 'lamp-fault', of: CIRCUIT, writable: true }], [[['devices', 2, 'points', 0, 'writable'], expect.stringContaining('cannot be written')]]],
    ['a point derived from a derived point', [{ signal: 'lamp-fault', of: 'hq/a/b1/weak-b104/lamp-faults/ramp' }], [[['devices', 2, 'points', 0, 'source', 'of'], expect.stringContaining('itself a derived point')]]],
    ['the same signal of a point twice', [{ signal: 'lamp-fault', of: CIRCUIT, id: 'a' }, { signal: 'lamp-fault', of: CIRCUIT, id: 'b' }], [[['devices', 2, 'points', 1, 'source'], `lamp-fault of ${CIRCUIT} is already declared as hq/a/b1/weak-b104/lamp-faults/a`]]],
  ] as const)('%s', (_name, points, want) => {
    const issues = checkDerivedConfig(entry(points as never), site).map((i) => [i.path, i.message]);
    expect(issues).toEqual(want);
  });
});
