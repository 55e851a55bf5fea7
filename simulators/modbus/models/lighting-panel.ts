// Lighting panel (relay + dimmer controller, one per floor in the weak-current room).
// Datasheet (0-based PDU addresses):
//   coil k            circuit k relay, 1 = on (R/W)
//   input k           circuit k current, uint16 × 0.01 A (0 when off)
//   holding j         dimmer level of the j-th dimmable circuit, uint16 0..100 % (R/W)
//   input 100         panel status bits: bit 0 mains OK, bit 1 manual override switch on
//   input 101..102    panel active power, float32 BE, kW
import { z } from 'zod';
import type { FieldDef } from '../datasheet.js';
import { type DeviceModel, text } from './model.js';

const circuit = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) }),
  /** Current at full output, A. */
  ratedA: z.number().positive().max(60),
  dimmable: z.boolean().default(false),
  /** Corridors, lobbies, parking: lit around the clock at start-up. */
  alwaysOn: z.boolean().default(false),
});

const options = z.strictObject({ circuits: z.array(circuit).min(1).max(32) });
export type LightingPanelOptions = z.infer<typeof options>;

/** Lighting circuits run at 220 V single phase with electronic ballasts/drivers, PF ≈ 0.95. */
export const LIGHTING_VOLTS = 220;
export const LIGHTING_PF = 0.95;

export const lightingPanel: DeviceModel<LightingPanelOptions, null> = {
  name: 'lighting-panel',
  options,
  stage: 0,
  datasheet(o) {
    const fields: FieldDef[] = [];
    let dimIndex = 0;
    o.circuits.forEach((c, k) => {
      fields.push({
        id: c.id, table: 'coil', address: k, type: 'bool', writable: true,
        name: text(`${c.name.en} lights`, `${c.name['zh-CN']}照明`), brick: 'On_Off_Command',
      });
      fields.push({
        id: `${c.id}-current`, table: 'input', address: k, type: 'uint16', scale: 0.01,
        name: text(`${c.name.en} lighting current`, `${c.name['zh-CN']}照明电流`), unit: 'A', brick: 'Current_Sensor',
        limits: { min: 0, max: Math.ceil(c.ratedA * 1.5) },
      });
      if (c.dimmable) {
        fields.push({
          id: `${c.id}-dim`, table: 'holding', address: dimIndex++, type: 'uint16', writable: true, writeRange: [0, 100],
          name: text(`${c.name.en} dimmer level`, `${c.name['zh-CN']}调光亮度`), unit: '%', brick: 'Luminance_Command',
          limits: { min: 0, max: 100 },
        });
      }
    });
    fields.push(
      { id: 'mains-ok', table: 'input', address: 100, bit: 0, type: 'bool', name: text('Panel mains OK', '配电箱市电正常') },
      { id: 'manual-override', table: 'input', address: 100, bit: 1, type: 'bool', name: text('Manual override switch', '手动旁路开关') },
      {
        id: 'panel-kw', table: 'input', address: 101, type: 'float32', wordOrder: 'BE',
        name: text('Lighting panel power', '照明配电箱功率'), unit: 'kW', brick: 'Electric_Power_Sensor', limits: { min: 0, max: 50 },
      },
    );
    return fields;
  },
  init(unit, o, ctx) {
    unit.auto('mains-ok', true);
    for (const c of o.circuits) {
      unit.auto(c.id, c.alwaysOn || ctx.officeHours);
      if (c.dimmable) unit.auto(`${c.id}-dim`, 80);
    }
    return null;
  },
  step(unit, o, ctx) {
    const mains = unit.get('mains-ok') === true;
    let watts = 0;
    for (const c of o.circuits) {
      const level = c.dimmable ? (unit.get(`${c.id}-dim`) as number) / 100 : 1;
      const on = mains && unit.get(c.id) === true && level > 0;
      // Drivers draw a little less than linear at low dim levels; ±1 % supply ripple.
      const amps = on ? c.ratedA * (0.1 + 0.9 * level) * (1 + (ctx.random() - 0.5) * 0.02) : 0;
      unit.auto(`${c.id}-current`, Math.round(amps * 100) / 100);
      watts += (unit.get(`${c.id}-current`) as number) * LIGHTING_VOLTS * LIGHTING_PF;
    }
    unit.auto('panel-kw', watts / 1000);
  },
};
