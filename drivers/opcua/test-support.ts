// Shared by the OPC UA driver tests: a recording DriverContext and point builders.
import type { BoundPoint, ConnectionStatus, DriverContext } from '../../contracts/driver.js';
import type { PointKind, Sample } from '../../contracts/point.js';
import type { OpcuaSource } from './schema.js';
import { sourceSchema } from './schema.js';
import path from 'node:path';
import { OPCUAClient } from 'node-opcua';
import { clientPkiDir, createClientCertificateManager } from './pki.js';

export interface Recorder extends DriverContext {
  samples: Sample[];
  statuses: ConnectionStatus[];
  logs: { level: string; obj: object; msg?: string }[];
  latest(pointId: string): Sample | undefined;
  waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
}

export function recorder(dataDir: string): Recorder {
  const samples: Sample[] = [];
  const statuses: ConnectionStatus[] = [];
  const logs: Recorder['logs'] = [];
  const log = (level: string) => (obj: object, msg?: string) => logs.push({ level, obj, msg });
  return {
    dataDir,
    samples,
    statuses,
    logs,
    publish: (batch) => samples.push(...batch),
    status: (s) => statuses.push(s),
    log: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
    latest: (id) => [...samples].reverse().find((s) => s.pointId === id),
    async waitFor(fn, what, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = fn();
        if (v) return v as never;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

export const NS = 'nsu=urn:watchfloor:hvac;s=';

export function point(
  id: string,
  path: string,
  opts: { kind?: PointKind; writable?: boolean; limits?: { min?: number; max?: number }; source?: Partial<OpcuaSource>; connection?: string } = {},
): BoundPoint<OpcuaSource> {
  const source = sourceSchema.parse({ nodeId: path.startsWith('ns') || path.startsWith('i=') ? path : NS + path, ...opts.source });
  return {
    info: {
      id: `hq/a/l02/office-201/vav-201/${id}`,
      name: { en: id, 'zh-CN': id },
      kind: opts.kind ?? 'analog',
      writable: opts.writable ?? false,
      limits: opts.limits,
      device: 'vav-201',
      protocol: 'opcua',
      intervalMs: 1000,
    },
    device: 'vav-201',
    connection: opts.connection ?? 'opcua-test',
    source,
  };
}

/**
 * Creates the driver's own client certificate under `<dataDir>/opcua/pki/own/` (as the driver
 * would on first connect) and has the simulator trust it: the simulator refuses unknown clients
 * on Sign/SignAndEncrypt. (A structural type: drivers do not import simulators.)
 */
export async function trustDriverCertificate(sim: { trustClientCertificate(file: string): Promise<void> }, dataDir: string): Promise<void> {
  const pki = clientPkiDir(dataDir);
  const client = OPCUAClient.create({ applicationName: 'Watchfloor', clientCertificateManager: createClientCertificateManager(pki, 'manual') });
  await (client as unknown as { initializeCM(): Promise<void> }).initializeCM();
  await sim.trustClientCertificate(path.join(pki, 'own', 'certs', 'client_certificate.pem'));
  await client.disconnect();
}
