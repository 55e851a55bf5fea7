// Loads the history a backtest replays, from whichever history store runs (InfluxDB or the
// embedded one), through its trend query. Short ranges come at 1 s resolution (raw for 1 s data);
// long ones at 1 min, aggregated so the detector sees the extreme it reacts to (max for a high
// limit or a state, min for a low limit, mean otherwise) — activations are then counted per
// minute at most, which the result says.
import type { PointInfo, PointValue } from '../../contracts/point.js';
import type { Aggregate } from '../history/query.js';
import type { HistoryStore } from '../history/store.js';
import type { Series } from './backtest.js';
import type { AlarmDef } from './rules.js';

export type Resolution = 'raw' | '1m';

/** Above this many expected rows the replay reads 1-minute data instead of raw. */
export const RAW_ROW_BUDGET = 1_500_000;
/** History is read one day per query (whole minutes and seconds, so buckets never straddle two queries). */
const SLICE_MS = 86_400_000;

export function aggregateFor(def: AlarmDef): Aggregate {
  const d = def.detector;
  if (d.kind === 'limit') return d.direction === 'high' ? 'max' : 'min';
  if (d.kind === 'state') return 'max';
  return 'mean';
}

/** Raw when the range is small enough for the budget, else 1 min. Pure. */
export function chooseResolution(pointCount: number, from: number, to: number, intervalMs: number, budget = RAW_ROW_BUDGET): { resolution: Resolution; stepMs: number } {
  const rows = pointCount * ((to - from) / Math.max(1000, intervalMs));
  return rows <= budget ? { resolution: 'raw', stepMs: 1000 } : { resolution: '1m', stepMs: 60_000 };
}

export interface LoadedHistory {
  /** Per def id: the series of its point and of every point it depends on. */
  byDef: Map<string, Map<string, Series>>;
  resolution: Resolution;
  stepMs: number;
  rows: number;
}

export async function loadBacktestHistory(store: HistoryStore, defs: readonly AlarmDef[], info: (id: string) => PointInfo | undefined, from: number, to: number, budget = RAW_ROW_BUDGET): Promise<LoadedHistory> {
  const ids = new Set(defs.flatMap((d) => [d.pointId, ...d.dependsOn]));
  const minInterval = Math.min(...[...ids].map((id) => info(id)?.intervalMs ?? 1000));
  const { resolution, stepMs } = chooseResolution(ids.size, from, to, minInterval, budget);
  // One query per aggregate; a point read with two aggregates (a high and a low limit) is read twice.
  const wanted = new Map<Aggregate, Set<string>>();
  const aggOf = (def: AlarmDef, id: string): Aggregate => (id === def.pointId ? aggregateFor(def) : 'last');
  for (const def of defs) for (const id of [def.pointId, ...def.dependsOn]) {
    const a = aggOf(def, id);
    if (!wanted.has(a)) wanted.set(a, new Set());
    wanted.get(a)!.add(id);
  }
  const loaded = new Map<string, Series>();
  let rows = 0;
  for (const [agg, points] of wanted) {
    for (const pointId of points) {
      const kind = info(pointId)?.kind;
      const values: Array<[number, PointValue]> = [];
      // One point and one day per query, yielding between them: the embedded store answers
      // synchronously, and a week of raw rows in one query would hold up ingest for seconds.
      for (let t = from; t < to; t += SLICE_MS) {
        const [s] = await store.trend({ points: [pointId], from: t, to: Math.min(to, t + SLICE_MS), stepMs, agg, offsetMs: 0 });
        // History keeps numbers; a binary point's 0/1 is its false/true again.
        for (const [ts, v] of s?.points ?? []) values.push([ts, kind === 'binary' ? v !== 0 : v]);
        await new Promise<void>((ok) => setImmediate(ok));
      }
      rows += values.length;
      loaded.set(`${agg}|${pointId}`, values);
    }
  }
  const byDef = new Map<string, Map<string, Series>>();
  for (const def of defs) byDef.set(def.id, new Map([def.pointId, ...def.dependsOn].map((id) => [id, loaded.get(`${aggOf(def, id)}|${id}`) ?? []])));
  return { byDef, resolution, stepMs, rows };
}
