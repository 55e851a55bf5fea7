// The whole console's stack for the layout matrix, the screenshot script and the console bench:
// the demo stack (Modbus + OPC UA HVAC, optionally cameras) with history (embedded), alarms,
// floor plans, control and broadcast modules, so every route has something real to show.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import YAML from 'yaml';
import { createFloorplansModule } from '../../hub/api/floorplans.js';
import { createSitemapModule } from '../../hub/sitemap/module.js';
import { createAlarmsModule } from '../../hub/alarms/index.js';
import { createRuleEditorModule } from '../../hub/alarms/rule-edit-routes.js';
import { createBroadcastModule, loadBroadcastFile } from '../../hub/broadcast/index.js';
import type { LoadedConfig } from '../../hub/config/types.js';
import { createControlModule } from '../../hub/control/index.js';
import { createHistoryModule } from '../../hub/history/module.js';
import { historySettingsSchema } from '../../hub/history/settings.js';
import type { HubModule } from '../../hub/module.js';
import { startPaSimulator, type PaSimulator } from '../../simulators/pa/index.js';
import { REPO_ROOT, startDemoStack, type DemoStack } from './harness.js';

export interface ConsoleStack extends DemoStack {
  /** Sign in through the login page (password `<user>-demo`), landing on `hash`. */
  signIn(page: Page, username: string, hash?: string): Promise<void>;
  /** Modbus unit id of a device in a room (to drive the simulator). */
  unitIdOf(room: string, device: string): number;
}

/** The demo plan minus devices this stack does not run (the plan check refuses unknown ones). */
function planDirFor(config: LoadedConfig, dir: string): string {
  const known = new Set(config.devices.map((d) => `${d.location.floor}/${d.location.room}/${d.id}`));
  for (const file of fs.readdirSync(path.join(REPO_ROOT, 'floorplans')).filter((f) => /^[a-z0-9-]+\.yaml$/.test(f))) {
    const plan = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'floorplans', file), 'utf8'));
    if (!Array.isArray(plan?.floors)) {
      fs.writeFileSync(path.join(dir, file), YAML.stringify(plan));
      continue;
    }
    for (const floor of plan.floors) {
      floor.devices = (floor.devices ?? []).filter((d: { room: string; equipment: string }) => known.has(`${floor.id}/${d.room}/${d.equipment}`));
    }
    fs.writeFileSync(path.join(dir, file), YAML.stringify(plan));
  }
  return dir;
}

export async function startConsoleStack(opts: { cameras?: boolean } = {}): Promise<ConsoleStack> {
  const planDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-plan-'));
  const file = loadBroadcastFile(path.join(REPO_ROOT, 'config', 'broadcast.yaml'));
  if (!file) throw new Error('config/broadcast.yaml is missing');
  let pa: PaSimulator | undefined;
  try {
    pa = await startPaSimulator({ zones: file.zones.map((z) => ({ id: z.id })) });
    for (const z of file.zones) z.endpoint = { host: '127.0.0.1', port: pa.ports[z.id] };
    // The video module is added by the demo stack after these modules: its camera action reaches it here.
    let running: DemoStack | undefined;
    const stack = await startDemoStack({
      hvac: true,
      cameras: opts.cameras,
      modules: (config): HubModule[] => {
        const history = createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'embedded', flushMs: 200 }) });
        const floorplans = createFloorplansModule({ dir: planDirFor(config, planDir) });
        const sitemap = createSitemapModule({ plans: () => floorplans.plans() });
        const alarms = createAlarmsModule();
        // With cameras, alarms snapshot and warm their camera as in the demo (hub/modules.ts), so
        // the guard's first frame comes from a stream that is already running.
        if (opts.cameras) {
          alarms.registerAction('camera-snapshot', async (action, alarm) => {
            const video = running?.video;
            if (!video) throw new Error('camera-snapshot: the video module is not running');
            const camera = action.camera === 'nearest' ? (await sitemap.pickCamera(alarm.pointId, { aim: action.aim, alarm: alarm.id })).camera : action.camera;
            await video.handleCameraAction(alarm, { ...action, camera });
          });
        }
        return [
          floorplans,
          sitemap,
          history,
          createBroadcastModule({ file }),
          createControlModule({ history: () => history.store() }),
          alarms,
          createRuleEditorModule({ history: () => history.store() }),
        ];
      },
    });
    running = stack;
    const stopStack = stack.stop;
    const paSim = pa;
    return Object.assign(stack, {
      async stop() {
        await stopStack();
        await paSim.stop();
        fs.rmSync(planDir, { recursive: true, force: true });
      },
      async signIn(page: Page, username: string, hash = '') {
        await page.goto(`${stack.url}/${hash}`);
        await page.locator('input[name=username]').fill(username);
        await page.locator('input[name=password]').fill(`${username}-demo`);
        await page.locator('.login-card button[type=submit]').click();
        await page.locator('.shell').waitFor({ timeout: 20_000 });
      },
      unitIdOf(room: string, device: string) {
        const entry = stack.config.devices.find((d) => d.id === device && d.location.room === room);
        const unitId = (entry?.options as { unitId?: number } | undefined)?.unitId;
        if (unitId === undefined) throw new Error(`no unit id for ${room}/${device}`);
        return unitId;
      },
    });
  } catch (err) {
    await pa?.stop();
    fs.rmSync(planDir, { recursive: true, force: true });
    throw err;
  }
}
