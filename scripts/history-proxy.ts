// The demo's and the test stack's history database behind a TCP proxy, so the `history-down` fault
// of a test run (simulators/control) can cut the hub off from it and give it back. The hub is given
// the proxy's URL as `history.url`; with the embedded SQLite store there is no database to cut, and
// the fault answers that it needs the proxy.
import path from 'node:path';
import { resolveHistoryBackend } from '../hub/history/backend.js';
import { findExecutable, InfluxdProcess } from '../hub/history/influxdProcess.js';
import type { HistorySettings } from '../hub/history/settings.js';
import { startTcpProxy, type TcpProxy } from '../simulators/control/tcp-proxy.js';

export interface ProxiedHistory {
  /** Give this to the simulators' control channel (`history`). */
  proxy: TcpProxy;
  /** The settings to start the hub with: `url` is the proxy's. */
  settings: HistorySettings;
  /** Where the database really is (tests count samples there behind the proxy's back). */
  directUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts what the hub would have started (a local influxd in `<dataDir>/influxdb`), or takes the
 * configured URL, and puts the proxy in front. Null for the embedded store.
 */
export async function startProxiedHistory(settings: HistorySettings, dataDir: string): Promise<ProxiedHistory | null> {
  const choice = resolveHistoryBackend(settings, { findExecutable });
  if (choice.kind === 'embedded') return null;
  let influxd: InfluxdProcess | null = null;
  let directUrl: string;
  if (choice.kind === 'local-influxd') {
    influxd = new InfluxdProcess({ dataDir: path.join(dataDir, 'influxdb'), port: choice.port, binary: choice.binary, nice: choice.nice });
    await influxd.start();
    directUrl = influxd.url;
  } else {
    directUrl = choice.url;
  }
  const target = new URL(directUrl);
  try {
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)) });
    return {
      proxy,
      directUrl,
      // Same scheme as the database (a TLS one is passed through as bytes).
      settings: { ...settings, url: `${target.protocol}//127.0.0.1:${proxy.port}`, backend: 'influxdb' },
      stop: async () => {
        await proxy.stop();
        await influxd?.stop();
      },
    };
  } catch (err) {
    await influxd?.stop();
    throw err;
  }
}
