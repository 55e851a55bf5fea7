// The subsystems a full hub runs, in start order. Tests pick the ones they need instead.
import type { LoadedConfig } from './config/types.js';
import type { HubLogger, HubModule } from './module.js';
import { createHistoryModule } from './history/module.js';
import { createAlarmsModule } from './alarms/index.js';
import { createVideoModule } from './video/module.js';
import { createControlModule } from './control/index.js';
import { createBroadcastModule } from './broadcast/index.js';
import { createFloorplansModule } from './api/floorplans.js';

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
  return [createFloorplansModule(), history, video, broadcast, control, alarms];
}
