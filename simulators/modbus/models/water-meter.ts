// Electromagnetic water meter on the building's main supply (pump room).
// Datasheet (input registers, 0-based):
//   0..1  flow rate float32, LOW WORD FIRST (CDAB), m³/h
//   2..3  totalizer uint32 BE × 0.001 m³
//   4     supply pressure uint16 × 0.01 bar
// Usage follows office hours; a burst pipe (the pump-room leak sensor wet) adds a steady flow.
import { z } from 'zod';
import { type DeviceModel, drift, text } from './model.js';

const options = z.strictObject({
  dayM3h: z.number().nonnegative(),
  nightM3h: z.number().nonnegative(),
  initialM3: z.number().nonnegative().default(0),
  /** Unit id of a leak sensor behind the same gateway: while it reads wet, flow rises by burstM3h. */
  leakUnit: z.number().int().min(1).max(247).optional(),
  burstM3h: z.number().nonnegative().default(4),
});
export type WaterMeterOptions = z.infer<typeof options>;

export const waterMeter: DeviceModel<WaterMeterOptions, { usage: number }> = {
  name: 'water-meter',
  options,
  stage: 1,
  datasheet: () => [
    {
      id: 'flow', table: 'input', address: 0, type: 'float32', wordOrder: 'LE',
      name: text('Water flow', '供水流量'), unit: 'm³/h', brick: 'Water_Flow_Sensor', limits: { min: 0, max: 30 },
    },
    {
      id: 'total', table: 'input', address: 2, type: 'uint32', wordOrder: 'BE', scale: 0.001,
      name: text('Water consumed', '累计用水量'), unit: 'm³', limits: { min: 0 },
    },
    {
      id: 'pressure', table: 'input', address: 4, type: 'uint16', scale: 0.01,
      name: text('Supply pressure', '供水压力'), unit: 'bar', brick: 'Pressure_Sensor', limits: { min: 0, max: 10 },
    },
  ],
  init(unit, o, ctx) {
    unit.auto('total', o.initialM3);
    unit.auto('pressure', 3.2);
    return { usage: ctx.officeHours ? o.dayM3h : o.nightM3h };
  },
  step(unit, o, ctx, memory) {
    memory.usage = Math.max(0, drift(memory.usage, ctx.officeHours ? o.dayM3h : o.nightM3h, ctx.dtS, 600, 0.05 * (o.dayM3h + 0.1), ctx.random));
    const burst = o.leakUnit !== undefined && ctx.peer(o.leakUnit)?.get('leak') === true ? o.burstM3h : 0;
    unit.auto('flow', memory.usage + burst);
    const flow = unit.get('flow') as number;
    unit.auto('total', (unit.get('total') as number) + (flow * ctx.dtS) / 3600);
    // Pressure sags a little with flow.
    unit.auto('pressure', drift(unit.get('pressure') as number, 3.4 - flow * 0.04, ctx.dtS, 20, 0.01, ctx.random));
  },
};
