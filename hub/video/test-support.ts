// Test support for the video gateway's tests (not a test file itself): a real VideoGateway on a
// real HTTP server on a free loopback port, as the hub runs it, with its own temp data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { until as untilTruthy } from '../recording/test-support.js';
import { VideoGateway, type GatewayOptions } from './gateway.js';

export const silentLog = { info() {}, warn() {}, error() {}, debug() {} };

/** Waits until `pred` holds (20 s by default), else throws naming `what`. */
export async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  await untilTruthy(what, pred, timeoutMs);
}

export interface GatewayServer {
  gateway: VideoGateway;
  /** host:port of the server, for ws://<base>/video/<camera>. */
  base: string;
  /** Closes the gateway and the server and removes the data folder. */
  close(): Promise<void>;
}

/** A gateway that lets every viewer in (as user `t`), served on 127.0.0.1:<free port>. */
export async function startGatewayServer(opts: Omit<GatewayOptions, 'dataDir' | 'authorize'>, tmpPrefix: string): Promise<GatewayServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), tmpPrefix));
  const gateway = new VideoGateway({ ...opts, dataDir, authorize: async () => ({ ok: true, user: 't' }) });
  const server = createServer();
  gateway.attach(server);
  const close = async () => {
    await gateway.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await close();
    throw err;
  }
  return { gateway, base: `127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}
