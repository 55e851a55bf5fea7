// Reads the hub's history API. Aggregation happens in the database (the hub picks a step of at
// most ~2000 buckets); this only builds the query and reports the hub's own error message.
import type { ApiError, EnergyResponse, HistoryResponse } from '../../../contracts/api.js';

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

async function getJson<T>(url: string, token: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, credentials: 'same-origin', signal });
  const body = (await res.json().catch(() => undefined)) as T | ApiError | undefined;
  if (!res.ok) {
    const message = body && typeof body === 'object' && 'error' in body ? body.error.message : `HTTP ${res.status}`;
    throw new Error(message);
  }
  return body as T;
}

export const fetchHistory = (q: HistoryQuery, token: string, signal?: AbortSignal) => getJson<HistoryResponse>(historyUrl(q), token, signal);
export const fetchEnergy = (meters: string[], from: number, to: number, interval: EnergyResponse['interval'], token: string, signal?: AbortSignal) =>
  getJson<EnergyResponse>(energyUrl(meters, from, to, interval), token, signal);

