// Which points are energy meters: one rule for the hub (energy summary) and the console (wall,
// overview). A meter is recognised by what it is — its Brick class — and only a point without a
// Brick class falls back to its unit. Never by the last segment of its id. Pure; imports nothing.

/** Brick classes of cumulative electrical energy counters (kWh). */
const ELECTRIC_ENERGY_BRICK = /(^|_)Energy_Sensor$|^Electric_Energy_Sensor$|Energy_Meter$/;

export interface MeterCandidate {
  kind?: string;
  unit?: string;
  brick?: string;
}

/** A cumulative electrical energy counter (kWh): by Brick class, else (no class) by unit. */
export function isEnergyMeter(p: MeterCandidate): boolean {
  if (p.kind !== undefined && p.kind !== 'analog') return false;
  return p.brick ? ELECTRIC_ENERGY_BRICK.test(p.brick) : /^kwh$/i.test(p.unit ?? '');
}

/** The ids of the energy meters among `points`. */
export function energyMeterIds<P extends MeterCandidate & { id: string }>(points: readonly P[]): string[] {
  return points.filter(isEnergyMeter).map((p) => p.id);
}
