// The hub's side of the simulators' control channel (simulators/control/server.ts): JSON over
// loopback HTTP with a shared token. Errors come back as domain errors naming what went wrong.
import fs from 'node:fs';
import type { ScenarioRunView, ScenarioView } from '../../contracts/testruns.js';
import { DomainError, UnavailableError } from '../errors.js';
import type { SimTarget } from './targets.js';

export interface SimFault {
  id: string;
  spec: { kind: string; target: SimTarget; tag?: string };
  startedAt: number;
  until: number | null;
  state: string;
  error?: string;
}

export interface SimStatus {
  connections: string[];
  scenarios: ScenarioView[];
  runs: ScenarioRunView[];
  faults: SimFault[];
}

export interface SimClient {
  status(): Promise<SimStatus>;
  startScenario(name: string, body: { timeScale?: number; tag?: string }): Promise<ScenarioRunView>;
  stopRun(id: string): Promise<ScenarioRunView>;
  inject(spec: Record<string, unknown>): Promise<SimFault>;
  clear(id: string): Promise<SimFault>;
  clearAll(): Promise<{ cleared: number }>;
  /** The PA simulator's play record, newest first (raw record lines). */
  paRecord(limit: number): Promise<{ available: boolean; items: Array<Record<string, unknown>> }>;
}

export function simClient(url: string, token: () => string): SimClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${url.replace(/\/$/, '')}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-sim-control-token': token() },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new UnavailableError('simulators_unreachable', `the simulators' control channel at ${url} does not answer: ${(err as Error).message}`);
    }
    const out = (await res.json().catch(() => ({}))) as { message?: string };
    if (res.ok) return out as T;
    if (res.status === 401) throw new UnavailableError('simulators_token', `the simulators' control channel refused the token (${out.message ?? ''}); restart them or check testruns.yaml control.tokenFile`);
    throw new DomainError(res.status === 404 ? 'not_found' : 'invalid', 'simulator_refused', `simulators: ${out.message ?? res.statusText}`);
  };
  return {
    status: () => call('GET', '/status'),
    startScenario: (name, body) => call('POST', `/scenarios/${encodeURIComponent(name)}/start`, body),
    stopRun: (id) => call('POST', `/runs/${encodeURIComponent(id)}/stop`, {}),
    inject: (spec) => call('POST', '/faults', spec),
    clear: (id) => call('DELETE', `/faults/${encodeURIComponent(id)}`),
    clearAll: () => call('POST', '/clear-all', {}),
    paRecord: (limit) => call('GET', `/pa/record?limit=${limit}`),
  };
}

/** Reads the token file at each call: the simulators write a new one whenever they start. */
export function tokenFromFile(file: string): () => string {
  return () => {
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      throw new UnavailableError('simulators_token', `no simulator control token at ${file}: are the simulators running (npm start / npm run sim)?`);
    }
  };
}
