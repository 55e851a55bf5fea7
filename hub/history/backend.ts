// Which history backend to use: a configured InfluxDB, else a local influxd on PATH, else embedded SQLite.
import type { HistorySettings } from './settings.js';

export type BackendChoice =
  | { kind: 'influxdb'; url: string; reason: string }
  | { kind: 'local-influxd'; binary: string; port: number; nice: number; reason: string }
  | { kind: 'embedded'; reason: string };

export interface BackendEnvironment {
  /** Absolute path of an executable, or null (injected so the decision is testable). */
  findExecutable(name: string): string | null;
}

export function resolveHistoryBackend(settings: HistorySettings, env: BackendEnvironment): BackendChoice {
  if (settings.backend === 'embedded') return { kind: 'embedded', reason: 'history.backend is "embedded"' };
  if (settings.url) return { kind: 'influxdb', url: settings.url, reason: 'history.url is configured' };
  const binary = settings.localInfluxd.enabled ? env.findExecutable(settings.localInfluxd.binary) : null;
  if (binary) return { kind: 'local-influxd', binary, port: settings.localInfluxd.port, nice: settings.localInfluxd.nice, reason: `no history.url; found ${binary}` };
  if (settings.backend === 'influxdb') {
    throw new Error(
      `history.backend is "influxdb" but no history.url is set and ${settings.localInfluxd.enabled ? `"${settings.localInfluxd.binary}" is not on PATH` : 'localInfluxd is disabled'}`,
    );
  }
  const why = settings.localInfluxd.enabled ? `"${settings.localInfluxd.binary}" not on PATH` : 'localInfluxd disabled';
  return { kind: 'embedded', reason: `no history.url and ${why}` };
}
