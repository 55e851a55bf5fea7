// The OPC UA HVAC simulator: a real node-opcua server on 127.0.0.1 exposing the
// plant of plant.ts, stepping its physics on a timer (accelerable by timeScale).
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { UAVariable } from 'node-opcua';
import { DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy, StatusCodes, Variant } from './lib.js';
import { createPlantState, plantSpec, stepPlant, type PlantState, type VariableSpec } from './plant.js';
import { buildAddressSpace, variantOf } from './address-space.js';
import { buildAlarms } from './alarms.js';
import { loadScenario, playScenario } from './scenarios.js';
import { pkiFolders, restrictUserTokens, rolesOf, trustCertificateFile, usableTokenTypes, writesForAuthenticatedOnly } from './security.js';

export { HVAC_NAMESPACE_URI } from './address-space.js';
export { SIM_CONDITIONS, CHW_LIMITS } from './alarms.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type SimSecurityMode = 'None' | 'Sign' | 'SignAndEncrypt';

/** The part of the project's one logger interface (contracts/log.ts) this simulator uses. */
export type SimLogger = Pick<import('../../contracts/log.js').Logger, 'info' | 'warn'>;

export interface OpcuaSimulatorOptions {
  /** 0 (default) = a free port; the demo uses 4840. */
  port?: number;
  /** Simulated seconds per real second (default 1). */
  timeScale?: number;
  /** Real milliseconds between physics steps (default 1000). */
  tickMs?: number;
  /** Security modes offered (default all three; Sign/SignAndEncrypt use Basic256Sha256). */
  securityModes?: SimSecurityMode[];
  /**
   * Accepted username/password pairs. When given, anonymous logins are refused unless allowAnonymous,
   * and anonymous sessions may read but not write. Without users, UserName logins are not offered.
   */
  users?: { username: string; password: string }[];
  allowAnonymous?: boolean;
  /**
   * Client certificates on Sign/SignAndEncrypt: `list` (default) accepts only those in
   * `<pkiDir>/trusted/certs/` (unknown ones are parked in `<pkiDir>/rejected/`); `auto` accepts any.
   */
  trustClients?: 'auto' | 'list';
  /** Server PKI folder (default `<dataDir>/opcua-sim/pki`). */
  pkiDir?: string;
  /** Project data folder (default `<repo>/data`). */
  dataDir?: string;
  /** Adds `Bench.P00000…` Double variables that change every tick (benchmarks). */
  extraPoints?: number;
  /** Hour of day the simulated clock starts at (default: the real local hour). */
  startHour?: number;
  log?: SimLogger;
}

export interface OpcuaSimulator {
  endpointUrl: string;
  port: number;
  /** The server's certificate (PEM) — what a client must trust for secure modes. */
  certificateFile: string;
  pkiDir: string;
  /** The client trust list (`trusted/certs`, copy a certificate there to trust it) and where unknown ones land. */
  clientTrust: { trusted: string; rejected: string };
  /** Trusts a client certificate file (PEM or DER), effective for the next connection. */
  trustClientCertificate(file: string): Promise<void>;
  stop(): Promise<void>;
  /** Stops and starts the server on the same port (sessions and subscriptions are lost). */
  restart(): Promise<void>;
  /** Takes the server down (port refuses) while the plant keeps running. */
  kill(): Promise<void>;
  /** Brings a killed server back on the same port. */
  revive(): Promise<void>;
  /** Sets a plant variable by path (`AHU-1.FanFault`); takes effect at the next step. */
  set(path: string, value: number | boolean): void;
  get(path: string): number | boolean;
  /** Plays `simulators/opcua/scenarios/opcua-<name>.yaml`. */
  runScenario(name: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Monitored items across all sessions on the server right now. */
  monitoredItemCount(): number;
  sessionCount(): number;
  /** Simulated hour of day (0..24). */
  hourOfDay(): number;
}

const MODES: Record<SimSecurityMode, MessageSecurityMode> = {
  None: MessageSecurityMode.None,
  Sign: MessageSecurityMode.Sign,
  SignAndEncrypt: MessageSecurityMode.SignAndEncrypt,
};

export async function startOpcuaSimulator(opts: OpcuaSimulatorOptions = {}): Promise<OpcuaSimulator> {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`startOpcuaSimulator: timeScale must be > 0, got ${timeScale}`);
  const tickMs = opts.tickMs ?? 1000;
  const pkiDir = opts.pkiDir ?? path.join(opts.dataDir ?? path.join(REPO_ROOT, 'data'), 'opcua-sim', 'pki');
  fs.mkdirSync(pkiDir, { recursive: true });
  const modes = opts.securityModes ?? ['None', 'Sign', 'SignAndEncrypt'];
  const users = opts.users ?? [];
  const allowAnonymous = opts.allowAnonymous ?? users.length === 0;

  const spec = plantSpec();
  const state: PlantState = createPlantState();
  const specs = new Map<string, Pick<VariableSpec, 'type'>>(spec.variables.map((v) => [v.path, v]));
  const bench: string[] = [];
  for (let i = 0; i < (opts.extraPoints ?? 0); i++) {
    const p = `Bench.P${String(i).padStart(5, '0')}`;
    bench.push(p);
    state.set(p, 0);
    specs.set(p, { type: 'Double' });
  }

  let simSeconds = ((opts.startHour ?? new Date().getHours() + new Date().getMinutes() / 60) % 24) * 3600;
  let nodes = new Map<string, UAVariable>();
  let server: OPCUAServer | null = null;
  let port = opts.port ?? 0;
  const published = new Map<string, number | boolean>();
  let benchTick = 0;

  const certificateManager = new OPCUACertificateManager({
    rootFolder: pkiDir,
    // Like a plant server: an unknown client certificate is refused and parked in rejected/.
    automaticallyAcceptUnknownCertificate: (opts.trustClients ?? 'list') === 'auto',
  });
  await certificateManager.initialize();

  async function startServer(): Promise<void> {
    const s = new OPCUAServer({
      port,
      host: '127.0.0.1',
      hostname: '127.0.0.1',
      serverCertificateManager: certificateManager,
      securityModes: modes.map((m) => MODES[m]),
      securityPolicies: [...(modes.includes('None') ? [SecurityPolicy.None] : []), ...(modes.some((m) => m !== 'None') ? [SecurityPolicy.Basic256Sha256] : [])],
      allowAnonymous,
      userManager: {
        isValidUser: (u: string, pw: string) => users.some((x) => x.username === u && x.password === pw),
        getUserRoles: (u: string) => rolesOf(users.some((x) => x.username === u)),
      },
      buildInfo: { productName: 'Watchfloor HVAC simulator', manufacturerName: 'Watchfloor' },
      serverCapabilities: { maxSessions: 50, maxMonitoredItems: 200_000, maxMonitoredItemsPerSubscription: 100_000 },
    } as ConstructorParameters<typeof OPCUAServer>[0]);
    await s.initialize();
    // A client write puts the value in the node itself: record it as published too, or a later set()
    // back to the previously published value would be skipped and the node keep the written one.
    const built = buildAddressSpace(s.engine.addressSpace!, spec, (p, v) => {
      state.set(p, v);
      published.set(p, v);
    });
    nodes = built.nodes;
    if (users.length > 0) for (const v of spec.variables) if (v.writable) writesForAuthenticatedOnly(nodes.get(v.path)!);
    buildAlarms(s.engine.addressSpace!, built.namespace, nodes);
    if (bench.length) {
      const folder = built.namespace.addFolder(s.engine.addressSpace!.rootFolder.objects, { nodeId: 's=Bench', browseName: 'Bench' });
      for (const p of bench) {
        const n = built.namespace.addVariable({ componentOf: folder, nodeId: `s=${p}`, browseName: p.slice(6), dataType: 'Double', minimumSamplingInterval: 100 });
        n.setValueFromSource(new Variant({ dataType: DataType.Double, value: 0 }), StatusCodes.Good, new Date());
        nodes.set(p, n);
      }
    }
    published.clear();
    restrictUserTokens(s, usableTokenTypes({ allowAnonymous, userCount: users.length }));
    await s.start();
    port = s.endpoints[0].port;
    server = s;
    pushValues();
  }

  function pushValues(): void {
    const now = new Date();
    for (const [p, node] of nodes) {
      const v = state.get(p)!;
      if (published.get(p) === v) continue;
      published.set(p, v);
      node.setValueFromSource(variantOf(specs.get(p)!, v), StatusCodes.Good, now);
    }
  }

  const tick = setInterval(() => {
    const dt = (tickMs / 1000) * timeScale;
    simSeconds += dt;
    stepPlant(state, dt, (simSeconds / 3600) % 24);
    // Bench points change on every tick so each sampling delivers a notification.
    benchTick++;
    for (let i = 0; i < bench.length; i++) state.set(bench[i], benchTick + i / 100_000);
    if (server) pushValues();
  }, tickMs);
  tick.unref?.();

  await startServer();
  const certificateFile = path.join(pkiDir, 'own', 'certs', 'certificate.pem');
  opts.log?.info({ endpointUrl: endpointUrl(), timeScale, certificateFile }, 'OPC UA HVAC simulator listening');

  function endpointUrl(): string {
    return `opc.tcp://127.0.0.1:${port}`;
  }

  function setVariable(p: string, value: number | boolean): void {
    if (!state.has(p)) throw new Error(`simulator: unknown variable "${p}"`);
    state.set(p, value);
    if (server) pushValues();
  }

  async function stopServer(): Promise<void> {
    const s = server;
    server = null;
    if (s) await s.shutdown(0);
  }

  return {
    get endpointUrl() {
      return endpointUrl();
    },
    get port() {
      return port;
    },
    certificateFile,
    pkiDir,
    clientTrust: pkiFolders(pkiDir),
    trustClientCertificate: (file) => trustCertificateFile(certificateManager, file),
    async stop() {
      clearInterval(tick);
      await stopServer();
      await certificateManager.dispose();
    },
    async restart() {
      await stopServer();
      await startServer();
    },
    kill: stopServer,
    async revive() {
      if (!server) await startServer();
    },
    set: setVariable,
    get(p) {
      const v = state.get(p);
      if (v === undefined) throw new Error(`simulator: unknown variable "${p}"`);
      return v;
    },
    runScenario(name, o) {
      return playScenario(loadScenario(name), { set: setVariable, has: (p) => state.has(p), timeScale, signal: o?.signal });
    },
    monitoredItemCount() {
      if (!server) return 0;
      return server.engine.getSessions().reduce((n, s) => n + s.currentMonitoredItemCount, 0);
    },
    sessionCount() {
      return server ? server.engine.currentSessionCount : 0;
    },
    hourOfDay() {
      return (simSeconds / 3600) % 24;
    },
  };
}
