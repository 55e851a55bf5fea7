// CSV exports of trends and energy (RFC 4180 quoting; local ISO times with offset, plus ms for scripts).
import type { EnergyResponse, HistoryResponse } from '../../contracts/api.js';
import { localIso } from '../../contracts/timezone.js';

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (fields: Array<string | number | null | undefined>) => fields.map(csvField).join(',') + '\r\n';

export function historyCsv(res: HistoryResponse, tz: string): string {
  let out = row(['time', 'time_ms', 'point', 'unit', res.agg]);
  for (const s of res.series) for (const [ts, v] of s.points) out += row([localIso(ts, tz), ts, s.pointId, s.unit, v]);
  return out;
}

export function energyCsv(res: EnergyResponse): string {
  const tz = res.timezone;
  let out = row(['start', 'end', 'start_ms', 'end_ms', 'meter', 'unit', 'consumption']);
  for (const m of res.meters) for (const b of m.buckets) out += row([localIso(b.start, tz), localIso(b.end, tz), b.start, b.end, m.pointId, m.unit, b.value]);
  return out;
}
