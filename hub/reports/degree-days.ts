// Degree-day weather normalisation (heating and cooling degree-days from daily mean outdoor
// temperatures). Consumption per degree-day this period is compared with last year's. Pure.

export interface DegreeDays { hdd: number; cdd: number; days: number }

/** Σ max(0, heatBase − t) and Σ max(0, t − coolBase) over daily mean temperatures (°C). */
export function degreeDays(dailyMeans: readonly number[], heatBase = 18, coolBase = 26): DegreeDays {
  let hdd = 0;
  let cdd = 0;
  for (const t of dailyMeans) {
    hdd += Math.max(0, heatBase - t);
    cdd += Math.max(0, t - coolBase);
  }
  return { hdd: Math.round(hdd * 100) / 100, cdd: Math.round(cdd * 100) / 100, days: dailyMeans.length };
}

/**
 * Change in consumption vs last year after weather normalisation, in %: consumption per
 * degree-day (heating + cooling) this period against last year's. Null when either period had no
 * degree-days (a mild period says nothing about weather-driven load) or a figure is missing.
 */
export function normalisedChangePct(actual: number | null, lastYear: number | null, ddNow: DegreeDays, ddLast: DegreeDays): number | null {
  const a = ddNow.hdd + ddNow.cdd;
  const b = ddLast.hdd + ddLast.cdd;
  if (actual === null || lastYear === null || a <= 0 || b <= 0 || lastYear === 0) return null;
  const perNow = actual / a;
  const perLast = lastYear / b;
  return Math.round(((perNow - perLast) / perLast) * 1000) / 10;
}
