// The consumption of a set of meters over a period, from each meter's counter deltas.

/** Sum of every delta, rounded to 0.001; null when no meter had a reading in the period ("unknown", not zero). */
export function totalOfDeltas(perMeter: ReadonlyArray<ReadonlyArray<{ delta: number }>>): number | null {
  let total = 0;
  let rows = 0;
  for (const deltas of perMeter) for (const d of deltas) (total += d.delta), rows++;
  return rows === 0 ? null : Math.round(total * 1000) / 1000;
}
