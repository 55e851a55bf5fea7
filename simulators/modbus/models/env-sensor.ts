// Wall-mounted temperature/humidity transmitter (archive rooms, server room).
// Datasheet (input registers): 0 = temperature int16 × 0.1 °C; 1 = relative humidity uint16 × 0.1 %;
// 2 = dew point uint16, raw = (°C + 40) × 10, i.e. scale 0.1 offset −40 (never negative on the wire).
import { z } from 'zod';
import { type DeviceModel, drift, text } from './model.js';

const options = z.strictObject({ temperature: z.number().min(-20).max(50), humidity: z.number().min(0).max(100) });
export type EnvSensorOptions = z.infer<typeof options>;

/** Magnus formula, good to ±0.4 °C in the room range. */
export function dewPoint(tempC: number, rh: number): number {
  const a = 17.62;
  const b = 243.12;
  const g = Math.log(Math.max(rh, 1) / 100) + (a * tempC) / (b + tempC);
  return (b * g) / (a - g);
}

export const envSensor: DeviceModel<EnvSensorOptions, null> = {
  name: 'env-sensor',
  options,
  stage: 0,
  datasheet: () => [
    {
      id: 'temperature', table: 'input', address: 0, type: 'int16', scale: 0.1,
      name: text('Room temperature', '室内温度'), unit: '°C', brick: 'Air_Temperature_Sensor', limits: { min: -20, max: 60 },
    },
    {
      id: 'humidity', table: 'input', address: 1, type: 'uint16', scale: 0.1,
      name: text('Relative humidity', '相对湿度'), unit: '%RH', brick: 'Relative_Humidity_Sensor', limits: { min: 0, max: 100 },
    },
    {
      id: 'dew-point', table: 'input', address: 2, type: 'uint16', scale: 0.1, offset: -40,
      name: text('Dew point', '露点温度'), unit: '°C', brick: 'Dewpoint_Sensor', limits: { min: -40, max: 60 },
    },
  ],
  init(unit, o) {
    unit.auto('temperature', o.temperature);
    unit.auto('humidity', o.humidity);
    unit.auto('dew-point', dewPoint(o.temperature, o.humidity));
    return null;
  },
  step(unit, o, ctx) {
    // Rooms are conditioned: a slow wander within about ±0.5 °C / ±3 %RH of the set conditions.
    unit.auto('temperature', drift(unit.get('temperature') as number, o.temperature, ctx.dtS, 1800, 0.02, ctx.random));
    unit.auto('humidity', Math.min(100, Math.max(0, drift(unit.get('humidity') as number, o.humidity, ctx.dtS, 1800, 0.1, ctx.random))));
    unit.auto('dew-point', dewPoint(unit.get('temperature') as number, unit.get('humidity') as number));
  },
};
