// Reads the hub's history API. Aggregation happens in the database (the hub picks a step of at
// most ~2000 buckets); this only builds the query and reports the hub's own error message.
import type { EnergyResponse, HistoryResponse } from '../../../contracts/api.js';
import { hubFetch, hubJson } from '../api.js';

export type RangePreset = '1h' | '24h' | '7d';
export const RANGE_MS: Record<RangePreset, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export interface HistoryQuery {
  points: string[];
  from: number;
  to: number;
  agg?: HistoryResponse['agg'];
  stepMs?: number;
}

export function historyUrl(q: HistoryQuery, format?: 'csv'): string {
  const params = new URLSearchParams({ points: q.points.join(','), from: String(Math.round(q.from)), to: String(Math.round(q.to)) });
  if (q.agg) params.set('agg', q.agg);
  if (q.stepMs) params.set('step', `${Math.max(1, Math.round(q.stepMs / 1000))}s`);
  if (format) params.set('format', format);
  return `/api/history?${params}`;
}

export function energyUrl(meters: string[], from: number, to: number, interval: EnergyResponse['interval']): string {
  const params = new URLSearchParams({ meters: meters.join(','), from: String(Math.round(from)), to: String(Math.round(to)), interval });
  return `/api/energy?${params}`;
}

function getJson<T>(url: string, token: string, signal?: AbortSignal): Promise<T> {
  // Through the console's one request path (api.ts): the hub's own message on a refusal.
  return hubJson<T>({ baseUrl: '', token: () => token }, 'GET', url, undefined, { signal });
}

export const fetchHistory = (q: HistoryQuery, token: string, signal?: AbortSignal) => getJson<HistoryResponse>(historyUrl(q), token, signal);
export const fetchEnergy = (meters: string[], from: number, to: number, interval: EnergyResponse['interval'], token: string, signal?: AbortSignal) =>
  getJson<EnergyResponse>(energyUrl(meters, from, to, interval), token, signal);


/** The CSV export of a history query, as text. */
export async function fetchHistoryCsv(q: HistoryQuery, token: string): Promise<string> {
  return (await hubFetch({ baseUrl: '', token: () => token }, 'GET', historyUrl(q, 'csv'), undefined, { accept: 'text/csv' })).text();
}
