// A fast-forward writer for the demo site: days of simulated history written straight into a real
// InfluxDB in the hub's own line protocol (hub/history LineEncoder), so reports can be rendered and
// checked against a month of data without waiting a month. Deterministic (seeded); used by the
// reports benchmark and tests. Models: floor power meters and the water main (office hours on
// weekdays), meeting-room CO2 (meetings) and supply air (conditioned on schedule, occupied or not),
// AHU fans and the chiller (run hours). The last night on the l05 meter uses 60 % more and the
// chiller's last day runs 20 h, so the anomaly notes have something to find.
import type { PointInfo, Sample } from '../../contracts/point.js';
import { localParts } from '../../contracts/timezone.js';
import { InfluxHttp } from '../history/influxHttp.js';
import { LineEncoder } from '../history/lineProtocol.js';
import { periodOf } from './periods.js';

export interface FastForwardOptions {
  url: string;
  database: string;
  retentionPolicy: string;
  points: readonly PointInfo[];
  tz: string;
  from: number;
  to: number;
  /** Step of meter samples (s); default 10. */
  meterStepS?: number;
  /** Step of other points (s); default 60. */
  otherStepS?: number;
  /** Multiplies consumption (last year: 1.08). */
  scale?: number;
  /** Apply the last-night / last-day anomalies (this year's data only). */
  anomalies?: boolean;
  seed?: number;
  batchLines?: number;
}

const FLOOR_KW: Record<string, [number, number]> = { b1: [60, 35], l01: [45, 8], l02: [40, 8], l03: [40, 9], l04: [38, 8], l05: [55, 32] };
/** Counter value at `from` (the demo's meters are not new). */
const START = 400_000;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

export function officeHours(ts: number, tz: string): boolean {
  const p = localParts(ts, tz);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return dow >= 1 && dow <= 5 && p.hour >= 8 && p.hour < 18;
}

const weekday = (ts: number, tz: string) => {
  const p = localParts(ts, tz);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return dow >= 1 && dow <= 5;
};

export interface FastForwardResult { lines: number; ms: number; byPoint: Record<string, number> }

export async function fastForward(o: FastForwardOptions): Promise<FastForwardResult> {
  const t0 = Date.now();
  const http = new InfluxHttp({ url: o.url, database: o.database, retentionPolicy: o.retentionPolicy }, 120_000);
  const enc = new LineEncoder(o.points);
  const random = rng(o.seed ?? 42);
  const meterStep = (o.meterStepS ?? 10) * 1000;
  const otherStep = (o.otherStepS ?? 60) * 1000;
  const scale = o.scale ?? 1;
  const batchLines = o.batchLines ?? 10_000;
  let batch: string[] = [];
  let lines = 0;
  const byPoint: Record<string, number> = {};
  const flush = async () => {
    if (batch.length === 0) return;
    const body = batch.join('\n');
    batch = [];
    const r = await http.write(body, o.retentionPolicy);
    if (!('ok' in r) || !r.ok) throw new Error(`fast-forward write refused: ${JSON.stringify(r).slice(0, 300)}`);
  };
  const put = async (s: Sample) => {
    batch.push(enc.encode(s));
    lines++;
    byPoint[s.pointId] = (byPoint[s.pointId] ?? 0) + 1;
    if (batch.length >= batchLines) await flush();
  };
  // The judged night is the latest one closed before `to`, the judged day yesterday: surge over the
  // last two nights and all of yesterday, whatever the time of day `to` is.
  const today = periodOf(o.to - 1, o.tz, 'day').from;
  const lastNightFrom = today - 26 * 3_600_000;
  const yesterday = { from: today - 24 * 3_600_000, to: today };

  for (const p of o.points) {
    const [, , floor, room, equipment, id] = p.id.split('/');
    const isMeter = p.kind === 'analog' && (p.unit === 'kWh' || p.unit === 'm³');
    if (isMeter) {
      const water = p.unit === 'm³';
      const [dayKw, nightKw] = water ? [6, 0.4] : FLOOR_KW[floor] ?? [40, 8];
      let counter = START + random() * 1000;
      for (let t = o.from; t < o.to; t += meterStep) {
        let rate = officeHours(t, o.tz) ? dayKw : nightKw;
        if (o.anomalies && floor === 'l05' && !water && t >= lastNightFrom && !officeHours(t, o.tz)) rate *= 1.6;
        counter += ((rate * scale * (0.9 + 0.2 * random())) * meterStep) / 3_600_000;
        await put({ pointId: p.id, value: Math.round(counter * 1000) / 1000, quality: 'good', readTs: t });
      }
      continue;
    }
    if (p.brick === 'CO2_Level_Sensor') {
      // Meetings: on weekdays each hour from 09:00 to 17:00 is booked with a room-specific chance.
      const busy = 0.15 + (room.charCodeAt(room.length - 1) % 5) * 0.1;
      let booked = false;
      for (let t = o.from; t < o.to; t += otherStep) {
        const lp = localParts(t, o.tz);
        if (lp.minute === 0) booked = weekday(t, o.tz) && lp.hour >= 9 && lp.hour < 17 && random() < busy;
        await put({ pointId: p.id, value: Math.round((booked ? 880 : 430) + random() * 40), quality: 'good', readTs: t });
      }
      continue;
    }
    if (p.brick === 'Supply_Air_Flow_Sensor' && room.startsWith('meeting')) {
      for (let t = o.from; t < o.to; t += otherStep) {
        const lp = localParts(t, o.tz);
        const on = weekday(t, o.tz) && lp.hour * 60 + lp.minute >= 450 && lp.hour * 60 + lp.minute < 1110; // 07:30–18:30
        await put({ pointId: p.id, value: Math.round((on ? 420 : 30) + random() * 20), quality: 'good', readTs: t });
      }
      continue;
    }
    if (p.kind === 'binary' && (p.brick === 'Run_Status' || p.brick === 'Fan_Status') && (equipment.startsWith('ahu') || equipment.startsWith('chiller'))) {
      for (let t = o.from; t < o.to; t += otherStep) {
        const lp = localParts(t, o.tz);
        let on = weekday(t, o.tz) && lp.hour >= 7 && lp.hour < 19;
        if (o.anomalies && equipment === 'chiller-1' && t >= yesterday.from && t < yesterday.to && lp.hour >= 2) on = true;
        await put({ pointId: p.id, value: on, quality: 'good', readTs: t });
      }
      continue;
    }
    void id;
  }
  await flush();
  return { lines, ms: Date.now() - t0, byPoint };
}
