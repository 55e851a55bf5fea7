// The simulators' control channel: a small JSON-over-HTTP server on loopback that the hub's
// test-runs module (or a test) uses to start/stop scenarios and inject faults at run time.
// Every request must carry the token (header `x-sim-control-token`), which start() writes to a
// 0600 file so only someone who can read the simulators' data folder can drive them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ControlEngine, type EndpointAccess, type SimAdapters } from './engine.js';
import { parseFaultSpec } from './faults.js';

export const DEMO_CONTROL_PORT = 15090;
export const TOKEN_HEADER = 'x-sim-control-token';
export const TOKEN_FILE = 'sim-control.token';

export interface SimControl {
  url: string;
  port: number;
  token: string;
  engine: ControlEngine;
  stop(): Promise<void>;
}

export interface SimControlOptions {
  port?: number;
  host?: string;
  /** Default: random. */
  token?: string;
  /** Writes `<dataDir>/sim-control.token` (mode 0600) when given. */
  dataDir?: string;
  history?: EndpointAccess;
  /** The PA simulator's play record (GET /pa/record), newest first. */
  paRecord?: (limit: number) => unknown[];
}

class BadRequest extends Error {}

async function body(req: http.IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 64_000) throw new BadRequest('body larger than 64 kB');
  }
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new BadRequest('body is not JSON');
  }
}

export async function startSimControl(sims: SimAdapters, opts: SimControlOptions = {}): Promise<SimControl> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const engine = new ControlEngine(sims, { history: opts.history });
  const route = async (method: string, url: string, req: http.IncomingMessage): Promise<unknown> => {
    const parts = url.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && url === '/status') return { connections: sims.connections(), scenarios: sims.scenarios(), ...engine.list() };
    if (method === 'POST' && parts[0] === 'scenarios' && parts[2] === 'start' && parts.length === 3) {
      const b = (await body(req)) as { timeScale?: unknown; tag?: unknown };
      const timeScale = b.timeScale === undefined ? 1 : Number(b.timeScale);
      if (!(timeScale > 0 && timeScale <= 1000)) throw new BadRequest('timeScale must be a number in (0, 1000]');
      return engine.startScenario(parts[1], { timeScale, ...(typeof b.tag === 'string' ? { tag: b.tag.slice(0, 200) } : {}) });
    }
    if (method === 'POST' && parts[0] === 'runs' && parts[2] === 'stop' && parts.length === 3) return engine.stopScenario(parts[1]);
    if (method === 'POST' && url === '/faults') {
      let spec;
      try {
        spec = parseFaultSpec(await body(req));
      } catch (err) {
        throw new BadRequest((err as Error).message);
      }
      return engine.inject(spec);
    }
    if (method === 'DELETE' && parts[0] === 'faults' && parts.length === 2) return engine.clear(parts[1]);
    if (method === 'POST' && url === '/clear-all') return { cleared: await engine.clearAll() };
    if (method === 'GET' && parts[0] === 'pa' && parts[1] === 'record' && parts.length === 2) {
      const raw = new URLSearchParams(url.split('?')[1] ?? '').get('limit');
      const limit = raw === null ? 50 : Number(raw);
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 500)) throw new BadRequest('limit must be an integer from 1 to 500');
      // No PA simulator here: an empty record, not an error (the console shows "nothing received").
      return { available: Boolean(opts.paRecord), items: opts.paRecord ? opts.paRecord(limit) : [] };
    }
    return undefined;
  };
  const server = http.createServer((req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.headers[TOKEN_HEADER] !== token) return send(401, { error: 'unauthorized', message: `missing or wrong ${TOKEN_HEADER}` });
    route(req.method ?? 'GET', req.url ?? '/', req)
      .then((out) => (out === undefined ? send(404, { error: 'not_found', message: `no route ${req.method} ${req.url}` }) : send(200, out)))
      // Unknown scenario/field/gateway: the caller's mistake, said plainly.
      .catch((err: Error) => send(err instanceof BadRequest ? 400 : 422, { error: err instanceof BadRequest ? 'bad_request' : 'refused', message: err.message }));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let tokenFile: string | undefined;
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    tokenFile = path.join(opts.dataDir, TOKEN_FILE);
    fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  }
  return {
    url: `http://${host}:${port}`,
    port,
    token,
    engine,
    async stop() {
      await engine.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (tokenFile) fs.rmSync(tokenFile, { force: true });
    },
  };
}
