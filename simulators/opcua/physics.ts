// Pure thermal/psychrometric models of the simulated HVAC plant. No I/O, no
// clocks: every function takes the state and the elapsed simulated seconds, so
// the plant can be tested with tables and accelerated by a time-scale factor.

/** Specific heat of air × density (kJ/(m³·K)): energy to warm 1 m³ of air by 1 K. */
export const AIR_HEAT_KJ_PER_M3K = 1.2;

/** Outside dry-bulb temperature (°C) of a summer day: 26 °C at 05:00, 34 °C at 15:00. */
export function outsideTemperature(hourOfDay: number): number {
  const h = ((hourOfDay % 24) + 24) % 24;
  const mean = 30;
  const amplitude = 4;
  // Peak at 15:00, trough 12 h earlier at 03:00 — close enough to a real curve.
  return mean + amplitude * Math.cos(((h - 15) / 24) * 2 * Math.PI);
}

/** True between 08:00 and 18:00 — the office is occupied. */
export function isOccupiedHour(hourOfDay: number): boolean {
  const h = ((hourOfDay % 24) + 24) % 24;
  return h >= 8 && h < 18;
}

export interface ZoneParams {
  /** Envelope conductance (kW/K): heat leaking in from outside per kelvin of difference. */
  uaKwPerK: number;
  /** Thermal capacity of the room air + furniture (kJ/K). */
  capacityKjPerK: number;
  /** Internal gain when occupied (kW): people, lights, computers. */
  occupiedGainKw: number;
  /** Internal gain when unoccupied (kW). */
  unoccupiedGainKw: number;
  /** VAV airflow limits (m³/h). */
  minAirflowM3h: number;
  maxAirflowM3h: number;
}

export const OFFICE_ZONE: ZoneParams = {
  uaKwPerK: 0.08,
  capacityKjPerK: 2500,
  occupiedGainKw: 1.6,
  unoccupiedGainKw: 0.3,
  minAirflowM3h: 150,
  maxAirflowM3h: 1500,
};

/**
 * Cooling delivered by supply air into a zone (kW, positive = cooling).
 * airflow in m³/h, temperatures in °C.
 */
export function supplyCoolingKw(airflowM3h: number, supplyAirC: number, zoneC: number): number {
  return (airflowM3h / 3600) * AIR_HEAT_KJ_PER_M3K * (zoneC - supplyAirC);
}

/**
 * VAV box control: proportional airflow on the error above setpoint.
 * At or below setpoint − 0.5 K the box sits at minimum; 1.5 K above it is wide open.
 * Returns the damper position in percent (0..100) and the resulting airflow.
 */
export function vavControl(zoneC: number, setpointC: number, p: ZoneParams, fanOn: boolean): { damperPct: number; airflowM3h: number } {
  const demand = clamp((zoneC - setpointC + 0.5) / 2, 0, 1);
  const damperPct = 20 + 80 * demand;
  if (!fanOn) return { damperPct, airflowM3h: 0 };
  return { damperPct, airflowM3h: p.minAirflowM3h + (p.maxAirflowM3h - p.minAirflowM3h) * demand };
}

/** Heat balance of one zone; returns the new zone temperature after `dtSeconds`. */
export function stepZoneTemperature(input: {
  zoneC: number;
  outsideC: number;
  supplyAirC: number;
  airflowM3h: number;
  occupied: boolean;
  params: ZoneParams;
  dtSeconds: number;
}): number {
  const { params: p } = input;
  // Integrate in ≤ 30 s sub-steps so a large time-scale stays stable.
  let t = input.zoneC;
  let left = input.dtSeconds;
  while (left > 0) {
    const dt = Math.min(30, left);
    const gainKw = (input.occupied ? p.occupiedGainKw : p.unoccupiedGainKw) + p.uaKwPerK * (input.outsideC - t);
    const coolingKw = supplyCoolingKw(input.airflowM3h, input.supplyAirC, t);
    t += ((gainKw - coolingKw) * dt) / p.capacityKjPerK;
    left -= dt;
  }
  return t;
}

/** First-order approach of `value` toward `target` with time constant `tauSeconds`. */
export function approach(value: number, target: number, tauSeconds: number, dtSeconds: number): number {
  if (tauSeconds <= 0) return target;
  return target + (value - target) * Math.exp(-dtSeconds / tauSeconds);
}

/**
 * AHU supply air: the cooling coil holds 13 °C while the fan runs and the chiller
 * delivers cold water; otherwise the air leaving the AHU drifts toward the mixed
 * (return + outside) air temperature.
 */
export function supplyAirTarget(fanOn: boolean, chilledWaterC: number, mixedAirC: number): number {
  if (!fanOn) return mixedAirC;
  // A coil cannot make air colder than the water + ~6 K approach.
  return Math.min(mixedAirC, Math.max(13, chilledWaterC + 6));
}

/** Chiller electrical power (kW) from its cooling load (kW) and COP; zero when stopped. */
export function chillerPowerKw(loadKw: number, running: boolean, cop = 5.5): number {
  if (!running) return 0;
  // A running compressor never drops below ~15 % of its rated 120 kW input.
  return Math.max(18, Math.max(0, loadKw) / cop);
}

/** Chilled water return temperature from supply, load (kW) and a fixed 10 L/s loop flow. */
export function chilledWaterReturnC(supplyC: number, loadKw: number, flowLps = 10): number {
  return supplyC + Math.max(0, loadKw) / (4.186 * flowLps);
}

/** Archive room relative humidity (%): dehumidifier pulls it to 45 %, otherwise it creeps to 75 %. */
export function stepArchiveHumidity(rhPct: number, dehumidifierOn: boolean, dtSeconds: number): number {
  const target = dehumidifierOn ? 45 : 75;
  const tau = dehumidifierOn ? 1800 : 5400;
  return approach(rhPct, target, tau, dtSeconds);
}

/** Server room: CRAC holds 22 °C; without it the IT load drives it toward 45 °C in about half an hour. */
export function stepServerRoomTemperature(tempC: number, cracOn: boolean, dtSeconds: number): number {
  return cracOn ? approach(tempC, 22, 600, dtSeconds) : approach(tempC, 45, 1800, dtSeconds);
}

/** Meeting room CO₂ (ppm): occupants add, ventilation airflow removes. */
export function stepCo2(ppm: number, occupied: boolean, airflowM3h: number, dtSeconds: number): number {
  const outdoor = 420;
  const people = occupied ? 8 : 0;
  const roomVolumeM3 = 120;
  // Each person exhales ~18 L/h of CO₂ = 18 000 ppm·m³/h in 1 m³.
  const sourcePpmPerS = (people * 18_000) / 3600 / roomVolumeM3;
  const exchangePerS = Math.max(airflowM3h, 60) / 3600 / roomVolumeM3;
  let c = ppm;
  let left = dtSeconds;
  while (left > 0) {
    const dt = Math.min(30, left);
    c += (sourcePpmPerS - exchangePerS * (c - outdoor)) * dt;
    left -= dt;
  }
  return c;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
