// Battery-powered water leak sensor (rope or spot probe) on a Modbus radio receiver.
// Datasheet: discrete input 0 = leak (1 = wet); input register 0 = battery, uint16 %.
// Leaks only happen when a scenario or test sets them; the battery drains ~1 % per 20 days.
import { z } from 'zod';
import { type DeviceModel, text } from './model.js';

const options = z.strictObject({ battery: z.number().min(0).max(100).default(95) });
export type LeakSensorOptions = z.infer<typeof options>;

export const leakSensor: DeviceModel<LeakSensorOptions, null> = {
  name: 'leak-sensor',
  options,
  stage: 0,
  datasheet: () => [
    { id: 'leak', table: 'discrete', address: 0, type: 'bool', name: text('Water leak', '漏水'), brick: 'Leak_Alarm' },
    {
      id: 'battery', table: 'input', address: 0, type: 'uint16',
      name: text('Sensor battery', '传感器电量'), unit: '%', limits: { min: 0, max: 100 },
    },
  ],
  init(unit, o) {
    unit.auto('battery', o.battery);
    return null;
  },
  step(unit, _o, ctx) {
    unit.auto('battery', Math.max(0, (unit.get('battery') as number) - ctx.dtS / (20 * 86400)));
  },
};
