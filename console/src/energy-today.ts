// "Energy today vs yesterday by the same time", one rule for the wall and the overview: meters are
// chosen by what they are (Brick class or kWh unit), not by their id's last segment, and a day
// without readings is "no data" (null), never 0 kWh.
import type { EnergyResponse, PointView } from '../../contracts/api.js';
import { energyMeterIds } from '../../contracts/energy.js';
import { siteStartOfDay } from './site-time.js';
import { fetchEnergy } from './trends/history-client.js';

/** Cumulative energy counters among the points: by Brick class, else by unit (contracts/energy.ts, shared with the hub). */
export function energyMeters(points: readonly PointView[]): string[] {
  return energyMeterIds(points);
}

/** The total of a response, or null when no bucket of any meter had a reading. */
export function totalOrNull(r: Pick<EnergyResponse, 'meters'>): number | null {
  return r.meters.some((m) => m.buckets.some((b) => b.value !== null)) ? r.meters.reduce((s, m) => s + m.total, 0) : null;
}

export interface TodayVsYesterday {
  today: EnergyResponse;
  yesterday: EnergyResponse;
}

/** Today so far, and yesterday up to the same time of day, in the site's time zone. */
export async function todayVsYesterday(meters: string[], timezone: string, token: string, now = Date.now()): Promise<TodayVsYesterday> {
  const day = siteStartOfDay(now, timezone);
  const [today, yesterday] = await Promise.all([
    fetchEnergy(meters, day, now, 'hour', token),
    fetchEnergy(meters, day - 86_400_000, now - 86_400_000, 'hour', token),
  ]);
  return { today, yesterday };
}
