import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { createHub, REPO_ROOT, type Hub } from '../server.js';
import { createFloorplansModule } from './floorplans.js';

let hub: Hub;
let dataDir: string;
const config = loadConfig(path.join(REPO_ROOT, 'config'));

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-floorplans-'));
  config.hub.dataDir = dataDir;
  hub = await createHub(config, { drivers: [], modules: [createFloorplansModule()], listen: { port: 0 }, log: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  await hub?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/floorplans/:building', () => {
  it('serves the validated plan to a signed-in user, 404 for an unknown building, 401 without a session', async () => {
    const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: 'viewer-demo' }) });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const ok = await fetch(`${hub.url}/api/floorplans/a`, { headers: auth });
    expect(ok.status).toBe(200);
    const plan = (await ok.json()) as { floors: Array<{ id: string }> };
    expect(plan.floors.map((f) => f.id)).toEqual(['b1', 'l01', 'l02', 'l03', 'l04', 'l05']);
    const missing = await fetch(`${hub.url}/api/floorplans/z`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('no floor plan for building "z"');
    expect((await fetch(`${hub.url}/api/floorplans/a`)).status).toBe(401);
  });

  it('refuses to start with a broken plan, naming file and path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bad-plan-'));
    try {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'floorplans', 'a.yaml'), 'utf8').replace('id: parking-b1', 'id: ballroom');
      fs.writeFileSync(path.join(dir, 'a.yaml'), text);
      const module = createFloorplansModule({ dir });
      await expect(createHub(config, { drivers: [], modules: [module], listen: { port: 0 }, log: createLogger({ level: 'silent' }) }))
        .rejects.toThrow(`${path.join(dir, 'a.yaml')}: floors[0].rooms[0].id: room "ballroom" is not a room of a/b1 in the site config`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
