// Query-parameter parsing shared by the REST routes: times and bounded integers. Pure.
// Numbers from a URL are bounded before anything uses them: `from=99999999999999999999999`
// is finite for Number() but not a Date (toISOString throws RangeError), and `to=1e20`
// reaches the history backend as a nonsense query. A bad value is a 400 naming the parameter.
import { HttpError } from './errors.js';

/** 1970-01-01 .. 9999-12-31T23:59:59.999Z: every time a person could mean, and every one a Date can print. */
export const MIN_TIME_MS = 0;
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const badParam = (param: string, message: string) =>
  new HttpError(400, 'bad_param', `query parameter ${param}: ${message}`, { param });

/** Shows hostile input in a message without letting it fill the log or the response. */
export function quote(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
}

/** Why a time text is not usable, or the time in ms. Pure, no throw: for routes with their own error type. */
export function parseTimeText(raw: string): { ms: number } | { error: string } {
  const ms = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) return { error: `must be ms since epoch or an ISO 8601 date, got ${quote(raw)}` };
  if (ms < MIN_TIME_MS || ms > MAX_TIME_MS) return { error: `must be between 1970-01-01 and 9999-12-31, got ${quote(raw)}` };
  return { ms };
}

/** An optional single time parameter (ms since epoch or ISO 8601), bounded. */
export function optionalTime(param: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw badParam(param, 'given more than once');
  const r = parseTimeText(raw);
  if ('error' in r) throw badParam(param, r.error);
  return r.ms;
}

/** An optional single non-empty string parameter. */
export function optionalString(param: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') throw badParam(param, 'must be one non-empty value');
  return raw;
}

/** An optional integer in min..max (decimal digits only). */
export function optionalInt(param: string, raw: unknown, min: number, max: number): number | undefined {
  const text = optionalString(param, raw);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw badParam(param, `must be an integer ${min}..${max}, got ${quote(text)}`);
  return Number(text);
}
