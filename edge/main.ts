// `npm run edge -- --site-config config --building b [--data-dir DIR]`: runs one building's drivers as a
// Sparkplug B edge node (edge/agent.ts). Broker and credentials come from the config folder's edge.yaml;
// the password from the file edge.yaml names, or WATCHFLOOR_EDGE_PASSWORD. Stops cleanly on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EdgeAgent } from './agent.js';
import { createEdgeDrivers } from './drivers.js';
import { EdgeConfigError, loadBuilding } from './site.js';
import { edgeArgs } from './args.js';

let args;
try {
  args = edgeArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}

let slice;
try {
  slice = loadBuilding(args.siteConfig, args.building);
} catch (err) {
  if (err instanceof EdgeConfigError) {
    process.stderr.write(`config ${args.siteConfig} refused for edge ${args.building}:\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const creds = slice.estate.buildings[args.building] ?? {};
const password = creds.passwordFile ? readFileSync(resolve(slice.dir, creds.passwordFile), 'utf8').trim() : process.env.WATCHFLOOR_EDGE_PASSWORD;
const log = {
  info: (o: object, m: string) => process.stdout.write(`${JSON.stringify({ level: 'info', msg: m, ...o })}\n`),
  warn: (o: object, m: string) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: m, ...o })}\n`),
  error: (o: object, m: string) => process.stderr.write(`${JSON.stringify({ level: 'error', msg: m, ...o })}\n`),
  debug: () => {},
};
const agent = new EdgeAgent({
  group: slice.estate.group ?? slice.siteId,
  building: args.building,
  broker: {
    url: slice.estate.broker.url,
    username: creds.username,
    password,
    ca: slice.estate.broker.caFile ? readFileSync(resolve(slice.dir, slice.estate.broker.caFile)) : undefined,
    keepaliveS: slice.estate.broker.keepaliveS,
  },
  points: slice.points,
  drivers: createEdgeDrivers(slice),
  dataDir: resolve(args.dataDir ?? `data/edge-${args.building}`),
  log,
  spoolMaxBytes: slice.estate.spoolMaxMb * 1024 * 1024,
  primaryHostId: slice.estate.hub.hostId,
});
await agent.start();
log.info({ building: args.building, points: slice.points.length, broker: slice.estate.broker.url }, 'edge agent running');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    agent.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
