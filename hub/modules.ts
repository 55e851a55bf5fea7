// The subsystems a full hub runs, in start order. Tests pick the ones they need instead.
import type { LoadedConfig } from './config/types.js';
import type { HubLogger, HubModule } from './module.js';
import { createHistoryModule } from './history/module.js';
import { createAlarmsModule } from './alarms/index.js';
import { createVideoModule } from './video/module.js';

export function defaultModules(_config: LoadedConfig, _log: HubLogger): HubModule[] {
  const history = createHistoryModule();
  const alarms = createAlarmsModule();
  const video = createVideoModule();
  // Alarm actions: a camera action snapshots (and clips) the camera when the alarm raises.
  alarms.registerAction('camera-snapshot', async (action, alarm) => {
    await video.handleCameraAction(alarm, action);
  });
  return [history, video, alarms];
}
