// Two hubs, one Redis, one Mosquitto, two edge agents: each building is owned by exactly one hub at
// a time (Redis lease), only the owner ingests its samples (so alarms run and history is written
// once), and when a hub dies its buildings are taken over by the other within the lease time.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverFor } from '../../drivers/registry.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import type { BuildingLeases } from './lease.js';
import { createHubDriversWith } from './remote.js';
import { startBackbone, startEdgeAgents, stopEstate, until, type EstateParts } from './test-cluster.js';
import { UNIT_OF, pointIds } from './test-site.js';

const EDGES = ['b', 'c'];

describe('several hubs: building leases in Redis', () => {
  const hubs: Hub[] = [];
  const leases: BuildingLeases[] = [];
  const parts: EstateParts = { hubs, agents: [] };
  /** Buildings whose samples each hub ingested since the last reset. */
  const ingested: Array<Set<string>> = [new Set(), new Set()];

  beforeAll(async () => {
    const { dir, broker } = await startBackbone(parts, 'wf-hubs-', EDGES, (modbus) => {
      for (const i of [0, 1, 2]) modbus.unit(UNIT_OF(i)).holding.set(1, 30 + i);
    });
    for (const i of [0, 1]) {
      const config = loadConfig(dir);
      config.hub.dataDir = join(dir, `data-hub${i}`);
      const drivers = createHubDriversWith(config, driverFor, { hubId: `hub${i}`, onLeases: (l) => (leases[i] = l) });
      const hub = await createHub(config, { drivers, modules: [], log: silentLogger(), listen: { port: 0 } });
      hub.bus.subscribe((e) => {
        for (const s of e.samples) if (s.quality === 'good') ingested[i].add(s.pointId.split('/')[1]);
      });
      hubs.push(hub);
    }
    await startEdgeAgents(dir, broker.url, EDGES, parts.agents);
  });

  afterAll(() => stopEstate(parts));

  const owners = () => leases.map((l) => l.ownedBuildings());

  it('each edge building is owned by exactly one hub, and only the owner ingests its samples', async () => {
    await until('both buildings owned', () => owners().flat().sort().join() === 'b,c');
    const [o0, o1] = owners();
    expect(o0.filter((b) => o1.includes(b))).toEqual([]);
    for (const b of EDGES) {
      const owner = o0.includes(b) ? 0 : 1;
      await until(`${b} good at its owner`, () => hubs[owner].store.get(pointIds(b).temp)?.quality === 'good');
    }
    ingested[0].clear();
    ingested[1].clear();
    await new Promise((r) => setTimeout(r, 1000));
    const edgeSeen = ingested.map((s) => [...s].filter((b) => EDGES.includes(b)).sort());
    expect(edgeSeen[0]).toEqual(o0);
    expect(edgeSeen[1]).toEqual(o1);
    // The local building a runs on both hubs (not an edge building): its drivers are local.
    expect(ingested[0].has('a') && ingested[1].has('a')).toBe(true);
  });

  it('a hub that dies loses its buildings to the other within the lease time', async () => {
    await until('both buildings owned', () => owners().flat().length === 2);
    // Hub 0 takes everything first if it has nothing, so that the failover is visible.
    const victim = owners()[0].length > 0 ? 0 : 1;
    const survivor = 1 - victim;
    const lost = owners()[victim];
    leases[victim].abandon(); // crash: no renewal, no release
    await hubs[victim].stop();
    const t0 = Date.now();
    await until('survivor owns every building', () => owners()[survivor].length === 2, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    for (const b of lost) await until(`${b} good at the survivor`, () => hubs[survivor].store.get(pointIds(b).temp)?.quality === 'good' && (hubs[survivor].store.get(pointIds(b).temp)?.readTs ?? 0) > t0);
  });
});
