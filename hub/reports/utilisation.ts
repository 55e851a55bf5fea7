// Meeting-room utilisation from 15-minute slot means: occupied when CO2 is at or above the
// threshold, conditioned when supply air is above its threshold. Pure.

export const SLOT_MS = 15 * 60_000;

export interface RoomSlots {
  /** [slot start ms, mean CO2 ppm]. */
  co2: ReadonlyArray<readonly [number, number]>;
  /** [slot start ms, mean supply air m³/h]. */
  airflow: ReadonlyArray<readonly [number, number]>;
}

export interface Utilisation { occupiedH: number; conditionedH: number; emptyConditionedH: number }

export function utilisation(slots: RoomSlots, co2Threshold: number, airflowThreshold: number): Utilisation {
  const occupied = new Set(slots.co2.filter(([, v]) => v >= co2Threshold).map(([t]) => t));
  let conditioned = 0;
  let empty = 0;
  for (const [t, v] of slots.airflow) {
    if (v <= airflowThreshold) continue;
    conditioned++;
    if (!occupied.has(t)) empty++;
  }
  const h = (n: number) => (n * SLOT_MS) / 3_600_000;
  return { occupiedH: h(occupied.size), conditionedH: h(conditioned), emptyConditionedH: h(empty) };
}
