// Pure shaping of energy data for the dashboard: which meters a building/floor choice covers,
// and hourly buckets folded into "today / yesterday / same day last week" by hour of day.

export interface EnergyBuckets {
  meters: Array<{ pointId: string; buckets: Array<{ start: number; end: number; value: number | null }> }>;
}

/** Floor key of a point id: `hq/a/b1/...` → `hq/a/b1`. */
export const floorKeyOf = (pointId: string) => pointId.split('/').slice(0, 3).join('/');
/** Building key: `hq/a/b1/...` → `hq/a`. */
export const buildingKeyOf = (pointId: string) => pointId.split('/').slice(0, 2).join('/');

/** Meters under `scope`: '' = all, a building key `hq/a`, or a floor key `hq/a/b1`. */
export function metersIn(meters: readonly string[], scope: string): string[] {
  if (!scope) return [...meters];
  return meters.filter((m) => m.startsWith(`${scope}/`));
}

/** Sum of all meters per bucket start; a bucket where no meter has a reading stays null. */
export function sumByStart(data: EnergyBuckets): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const meter of data.meters) {
    for (const b of meter.buckets) {
      const prev = out.get(b.start) ?? null;
      out.set(b.start, b.value === null ? prev : (prev ?? 0) + b.value);
    }
  }
  return out;
}

/**
 * 24 hourly values for each of today, yesterday and a week ago, indexed by hour since the start
 * of each day. `dayStart` is the local start of today (ms). Hours without readings are null.
 */
export function compareDays(data: EnergyBuckets, dayStart: number): { today: Array<number | null>; yesterday: Array<number | null>; lastWeek: Array<number | null> } {
  const sums = sumByStart(data);
  const HOUR = 3_600_000;
  const day = (start: number) => Array.from({ length: 24 }, (_, h) => {
    const v = sums.get(start + h * HOUR);
    return v === undefined ? null : v;
  });
  return { today: day(dayStart), yesterday: day(dayStart - 24 * HOUR), lastWeek: day(dayStart - 7 * 24 * HOUR) };
}

/** "+12 %" / "−3 %" / null when there is nothing to compare. */
export function changeText(pct: number | null): string | null {
  if (pct === null || !Number.isFinite(pct)) return null;
  const rounded = Math.round(pct);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)} %`;
}

/** Splits runtime counters into HVAC (fan/run status) and lighting (everything else tracked). */
export function splitRuntime(hours: Record<string, number>): { hvac: Array<[string, number]>; lighting: Array<[string, number]> } {
  const hvac: Array<[string, number]> = [];
  const lighting: Array<[string, number]> = [];
  for (const [id, h] of Object.entries(hours).sort(([a], [b]) => a.localeCompare(b))) {
    (/(fan|run)-status$/.test(id) ? hvac : lighting).push([id, h]);
  }
  return { hvac, lighting };
}

/**
 * Whether the schedules' savings estimate may be shown beside today's metered use. The estimate
 * (baseline hours × zone power) is a model; when it claims to have saved more than the meters say
 * the building used today (a saving of more than half of the baseline), the model's baseline is
 * not to be trusted and a number would mislead: it is withheld and the reason shown instead.
 */
export function savingsPlausible(savedKwh: readonly number[], usedTodayKwh: number | null): { show: boolean; saved: number } {
  const saved = savedKwh.reduce((a, b) => a + b, 0);
  if (usedTodayKwh === null || !Number.isFinite(saved)) return { show: false, saved };
  return { show: saved >= 0 && saved <= usedTodayKwh, saved };
}
