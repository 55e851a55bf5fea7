// Three-phase multifunction power meter (one per floor), 220/380 V, read over FC04.
// Datasheet (input registers, 0-based):
//   0..1   L1-N voltage  float32 BE, V        6..7   L1 current float32 BE, A
//   2..3   L2-N voltage  float32 BE, V        8..9   L2 current float32 BE, A
//   4..5   L3-N voltage  float32 BE, V        10..11 L3 current float32 BE, A
//   12..13 total active power float32 BE, kW
//   14     power factor int16 × 0.001 (negative = leading)
//   15     frequency uint16 × 0.01 Hz
//   16..17 import active energy uint32 × 0.1 kWh, LOW WORD FIRST (CDAB)
//   18     alarm bits: bit 0 phase loss, bit 2 CT fault (bit 1 reserved)
//   20..21 total reactive power int32 BE × 0.001 kvar (negative = capacitive)
// The floor's load follows office hours, plus whatever its lighting panel draws right now.
import { z } from 'zod';
import { type DeviceModel, drift, text } from './model.js';

const options = z.strictObject({
  /** Non-lighting load on weekdays 08:00–18:00, kW. */
  dayKw: z.number().nonnegative(),
  /** Non-lighting load outside office hours, kW. */
  nightKw: z.number().nonnegative(),
  /** Unit id of the floor's lighting panel behind the same gateway. */
  lightingUnit: z.number().int().min(1).max(247).optional(),
  initialKwh: z.number().nonnegative().default(0),
});
export type PowerMeterOptions = z.infer<typeof options>;

interface Memory {
  baseKw: number;
}

const PHASES = ['l1', 'l2', 'l3'] as const;
const PHASE_ZH = { l1: 'A相', l2: 'B相', l3: 'C相' };

export const powerMeter: DeviceModel<PowerMeterOptions, Memory> = {
  name: 'power-meter',
  options,
  stage: 1,
  datasheet(o) {
    const maxKw = Math.ceil((o.dayKw + 40) * 1.5);
    return [
      ...PHASES.map((p, i) => ({
        id: `voltage-${p}`, table: 'input' as const, address: i * 2, type: 'float32' as const, wordOrder: 'BE' as const,
        name: text(`Voltage ${p.toUpperCase()}-N`, `${PHASE_ZH[p]}电压`), unit: 'V', brick: 'Voltage_Sensor', limits: { min: 0, max: 260 },
      })),
      ...PHASES.map((p, i) => ({
        id: `current-${p}`, table: 'input' as const, address: 6 + i * 2, type: 'float32' as const, wordOrder: 'BE' as const,
        name: text(`Current ${p.toUpperCase()}`, `${PHASE_ZH[p]}电流`), unit: 'A', brick: 'Current_Sensor', limits: { min: 0, max: Math.ceil((maxKw * 1000) / 3 / 200) },
      })),
      {
        id: 'kw', table: 'input', address: 12, type: 'float32', wordOrder: 'BE',
        name: text('Active power', '有功功率'), unit: 'kW', brick: 'Electric_Power_Sensor', limits: { min: 0, max: maxKw },
      },
      {
        id: 'pf', table: 'input', address: 14, type: 'int16', scale: 0.001,
        name: text('Power factor', '功率因数'), brick: 'Power_Factor_Sensor', limits: { min: -1, max: 1 },
      },
      {
        id: 'frequency', table: 'input', address: 15, type: 'uint16', scale: 0.01,
        name: text('Frequency', '频率'), unit: 'Hz', brick: 'Frequency_Sensor', limits: { min: 45, max: 55 },
      },
      {
        id: 'kwh', table: 'input', address: 16, type: 'uint32', wordOrder: 'LE', scale: 0.1,
        name: text('Imported energy', '累计电能'), unit: 'kWh', brick: 'Energy_Sensor', limits: { min: 0 },
      },
      { id: 'phase-loss', table: 'input', address: 18, bit: 0, type: 'bool', name: text('Phase loss', '缺相告警') },
      { id: 'ct-fault', table: 'input', address: 18, bit: 2, type: 'bool', name: text('CT fault', '互感器故障') },
      {
        id: 'kvar', table: 'input', address: 20, type: 'int32', wordOrder: 'BE', scale: 0.001,
        name: text('Reactive power', '无功功率'), unit: 'kvar', limits: { min: -maxKw, max: maxKw },
      },
    ];
  },
  init(unit, o, ctx) {
    unit.auto('kwh', o.initialKwh);
    unit.auto('frequency', 50);
    for (const p of PHASES) unit.auto(`voltage-${p}`, 220 + (ctx.random() - 0.5) * 4);
    return { baseKw: ctx.officeHours ? o.dayKw : o.nightKw };
  },
  step(unit, o, ctx, memory) {
    // Office load ramps over ~15 min when people arrive or leave; lighting is immediate.
    memory.baseKw = Math.max(0, drift(memory.baseKw, ctx.officeHours ? o.dayKw : o.nightKw, ctx.dtS, 900, 0.01 * (o.dayKw + 1), ctx.random));
    const lighting = o.lightingUnit === undefined ? undefined : ctx.peer(o.lightingUnit);
    const lightingKw = lighting ? (lighting.get('panel-kw') as number) : 0;
    unit.auto('kw', memory.baseKw + lightingKw);
    const kw = unit.get('kw') as number;

    // Daytime loads are inductive; at night the fixed capacitor bank over-compensates.
    const pf = ctx.officeHours ? 0.93 + ctx.random() * 0.02 : -(0.96 + ctx.random() * 0.02);
    unit.auto('pf', Math.round(pf * 1000) / 1000);
    const pfNow = unit.get('pf') as number;
    const kvar = kw * Math.tan(Math.acos(Math.min(1, Math.abs(pfNow)))) * Math.sign(pfNow || 1);
    unit.auto('kvar', kvar);
    unit.auto('frequency', drift(unit.get('frequency') as number, 50, ctx.dtS, 30, 0.01, ctx.random));

    const lost = unit.get('phase-loss') === true;
    const live = lost ? 2 : 3;
    PHASES.forEach((p, i) => {
      const dead = lost && i === 2;
      const v = dead ? 0 : drift((unit.get(`voltage-${p}`) as number) || 220, 221, ctx.dtS, 120, 0.3, ctx.random);
      unit.auto(`voltage-${p}`, v);
      // Single-phase lighting sits mostly on L1, so phases are a little unbalanced.
      const share = dead ? 0 : (i === 0 ? 1.1 : 0.95) / live * 3;
      const amps = dead || v === 0 ? 0 : (kw * 1000 * share) / (3 * v * Math.max(0.5, Math.abs(pfNow)));
      unit.auto(`current-${p}`, amps);
    });
    unit.auto('kwh', (unit.get('kwh') as number) + (kw * ctx.dtS) / 3600);
  },
};
