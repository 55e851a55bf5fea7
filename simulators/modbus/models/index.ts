// The device models the Modbus simulator knows, by the name used in the sim spec.
import { doorContact } from './door-contact.js';
import { envSensor } from './env-sensor.js';
import { leakSensor } from './leak-sensor.js';
import { lightingPanel } from './lighting-panel.js';
import type { DeviceModel } from './model.js';
import { powerMeter } from './power-meter.js';
import { waterMeter } from './water-meter.js';
import { windowContacts } from './window-contacts.js';

export const MODELS: Record<string, DeviceModel> = Object.fromEntries(
  [powerMeter, waterMeter, lightingPanel, leakSensor, doorContact, windowContacts, envSensor].map((m) => [m.name, m]),
);

export type { DeviceModel, ModelContext } from './model.js';
