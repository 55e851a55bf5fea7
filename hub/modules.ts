// The composition root's module list: the subsystems a full hub runs. createHub (hub/server.ts)
// starts them in dependency order (each module's `dependsOn`/`after`; a cycle or a missing
// dependency refuses to start) and stops them in reverse. Shared registries (derived signals,
// cameras, condition evaluators) are created once per hub (hub/registries.ts) and reach modules as
// HubContext.registries and drivers as DriverContext.services. Tests pick the modules they need.
import type { LoadedConfig } from './config/types.js';
import type { HubLogger, HubModule } from './module.js';
import { createHistoryModule } from './history/module.js';
import { createAlarmsModule } from './alarms/index.js';
import { createVideoModule } from './video/module.js';
import { createControlModule } from './control/index.js';
import { createBroadcastModule } from './broadcast/index.js';
import { createFloorplansModule } from './api/floorplans.js';
import { createRuleEditorModule } from './alarms/rule-edit-routes.js';
import { createDispatchModule } from './workorders/index.js';

export function defaultModules(_config: LoadedConfig, _log: HubLogger): HubModule[] {
  const history = createHistoryModule();
  const video = createVideoModule();
  const broadcast = createBroadcastModule();
  const control = createControlModule({ history: () => history.store() });
  const alarms = createAlarmsModule();
  // Alarm actions: a camera action snapshots (and clips) the camera; a broadcast action speaks
  // to its PA zones, preempting anything else playing there.
  alarms.registerAction('camera-snapshot', async (action, alarm) => {
    await video.handleCameraAction(alarm, action);
  });
  alarms.registerAction('broadcast', (action, alarm) => broadcast.handleBroadcastAction(action, alarm));
  return [createFloorplansModule(), history, video, broadcast, control, alarms, createRuleEditorModule({ history: () => history.store() }), createDispatchModule({ alarms: () => alarms.engine })];
}
