// The registries subsystems and drivers share, created once per hub by the composition root and
// injected (HubContext.registries; drivers get them as DriverContext.services). Nothing here is a
// process global: two hubs in one process (tests) never see each other's signals or cameras.
import type { DriverServices } from '../contracts/driver.js';
import { DerivedSignalRegistry } from '../drivers/derived/signals.js';
import { CameraRegistry } from '../drivers/onvif/registry.js';
import { ConditionRegistry } from './alarms/conditions.js';
import { TestMarks } from './testruns/marks.js';

export interface HubRegistries {
  /** Derived signals hub subsystems publish (lamp faults, night-flow leaks); the `derived` driver reads them. */
  derivedSignals: DerivedSignalRegistry;
  /** Cameras the ONVIF driver connects, with their PTZ handles; the video gateway reads them. */
  cameras: CameraRegistry;
  /** Alarm condition evaluators by type; the control module adds `schedule`. */
  conditions: ConditionRegistry;
  /** Points under test right now (hub/testruns); alarms they raise are tagged `test`. Optional: registries built by hand. */
  testMarks?: TestMarks;
}

export function createRegistries(): HubRegistries {
  return { derivedSignals: new DerivedSignalRegistry(), cameras: new CameraRegistry(), conditions: new ConditionRegistry(), testMarks: new TestMarks() };
}

/** What drivers may use of the registries (the condition evaluators are the hub's own business). */
export function driverServices(r: HubRegistries): DriverServices {
  return { derivedSignals: r.derivedSignals, cameras: r.cameras };
}
