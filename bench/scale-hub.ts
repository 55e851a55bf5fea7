// Child process of bench/scale.ts: one hub (edge host + Redis lease + Socket.IO Redis adapter) on
// `port`, counting the edge samples it ingests (live / historical, unique per point and time).
import { driverFor } from '../drivers/registry.js';
import { loadConfig } from '../hub/config/load.js';
import { createEdgeModule } from '../hub/edge/index.js';
import { createHubDriversWith, edgeHostOf } from '../hub/edge/remote.js';
import type { BuildingLeases } from '../hub/edge/lease.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';

const [dir, hubId, dataDir] = process.argv.slice(2);
const config = loadConfig(dir);
config.hub.dataDir = dataDir;
let leases: BuildingLeases | undefined;
const drivers = createHubDriversWith(config, driverFor, { hubId, clientId: `bench-${hubId}`, onLeases: (l) => (leases = l) });
const hub = await createHub(config, { drivers, modules: [createEdgeModule()], log: silentLogger(), listen: { port: 0 } });
let good = 0;
/** Good samples received while keeping: minus the unique ones, the repeats of a (point, readTs). */
let keptGood = 0;
const seen = new Set<string>();
let keep = false;
hub.bus.subscribe((e) => {
  for (const s of e.samples) {
    if (s.quality !== 'good' || s.pointId.split('/')[1] === 'a') continue;
    good++;
    if (keep) (keptGood++, seen.add(`${s.pointId}|${s.readTs}`));
  }
});
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'count') process.send!({ type: 'count', good, unique: seen.size, repeats: keptGood - seen.size, refused: edgeHostOf(drivers)?.dedup.dropped, owned: leases?.ownedBuildings() ?? [], cpu: process.cpuUsage() });
  else if (m.cmd === 'keep') (keep = true), seen.clear(), (keptGood = 0);
  else if (m.cmd === 'unkeep') (keep = false), seen.clear(), (keptGood = 0);
});
process.send!({ type: 'ready', url: hub.url, port: hub.port });
