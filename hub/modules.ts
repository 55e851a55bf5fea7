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
import { createReportsModule } from './reports/index.js';
import { patrolSource } from './reports/patrol-source.js';
import { createPatrolsModule } from './patrols/index.js';
import { createSitemapModule } from './sitemap/module.js';
import { createRecordingModule } from './recording/module.js';
import { createEdgeModule } from './edge/index.js';
import { createTestrunsModule } from './testruns/index.js';

export function defaultModules(_config: LoadedConfig, _log: HubLogger): HubModule[] {
  const history = createHistoryModule();
  const video = createVideoModule();
  const broadcast = createBroadcastModule();
  const control = createControlModule({ history: () => history.store() });
  const alarms = createAlarmsModule();
  const floorplans = createFloorplansModule();
  const sitemap = createSitemapModule({ plans: () => floorplans.plans() });
  // Alarm actions: a camera action snapshots (and clips) the camera; a broadcast action speaks
  // to its PA zones, preempting anything else playing there.
  // `camera: nearest` asks the site map which streaming camera sees the alarm's place (aimed when `aim: true`).
  alarms.registerAction('camera-snapshot', async (action, alarm) => {
    const camera = action.camera === 'nearest' ? (await sitemap.pickCamera(alarm.pointId, { aim: action.aim, alarm: alarm.id })).camera : action.camera;
    await video.handleCameraAction(alarm, { ...action, camera });
  });
  alarms.registerAction('broadcast', (action, alarm) => broadcast.handleBroadcastAction(action, alarm));
  const dispatch = createDispatchModule({ alarms: () => alarms.engine });
  const patrols = createPatrolsModule({ alarms: () => alarms.engine, dispatch: () => dispatch.service });
  const reports = createReportsModule({ history: () => history.store(), alarms: () => alarms, dispatch: () => dispatch, patrols: patrolSource(() => patrols.service) });
  return [floorplans, sitemap, history, video, broadcast, control, alarms, createRuleEditorModule({ history: () => history.store() }), dispatch, patrols, createRecordingModule({ cameras: () => video.catalog, viewing: (at) => sitemap.camerasViewing(at) }), createEdgeModule(), createTestrunsModule({ priority: () => control.priority(), alarms: () => alarms.engine }), reports];
}
