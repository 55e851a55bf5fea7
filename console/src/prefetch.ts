// Answers asked for at boot, before the session check and the view's chunk are done, so a view's
// first request does not wait for /api/auth/me → /api/site → shell → chunk (issue 20: the
// decision view on a phone). Each answer is taken at most once, and only while fresh; the view
// asks again itself when there is none or it failed (a stale token, a 403: the normal path decides).
import { hubJson, type HubEndpoint } from './api.js';

const FRESH_MS = 15_000;
const early = new Map<string, { at: number; answer: Promise<unknown> }>();

/** Starts GET `path` now; no onUnauthorized: a 401 here is for the session check to report. */
export function prefetchJson(hub: HubEndpoint, path: string): void {
  const answer = hubJson<unknown>({ baseUrl: hub.baseUrl, token: hub.token }, 'GET', path);
  answer.catch(() => undefined); // nobody may take it: not an unhandled rejection
  early.set(path, { at: Date.now(), answer });
}

/** The early answer for `path`, once; null when there is none or it is too old to show. */
export function takePrefetched<T>(path: string, now = Date.now()): Promise<T> | null {
  const entry = early.get(path);
  early.delete(path);
  return entry && now - entry.at <= FRESH_MS ? (entry.answer as Promise<T>) : null;
}
