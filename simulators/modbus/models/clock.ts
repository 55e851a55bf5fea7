// Local time of the demo site. Asia/Shanghai has been UTC+8 with no daylight saving since 1991,
// so a fixed offset is exact and keeps the models free of Intl time-zone lookups.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export function shanghaiTime(ms: number): { hour: number; weekday: number } {
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    hour: local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600,
    weekday: local.getUTCDay(),
  };
}

/** Weekdays (Mon–Fri) 08:00–18:00. */
export function isOfficeHours(t: { hour: number; weekday: number }): boolean {
  return t.weekday >= 1 && t.weekday <= 5 && t.hour >= 8 && t.hour < 18;
}

/** Small deterministic PRNG (mulberry32), seeded per unit so runs are repeatable. */
export function seededRandom(seedText: string): () => number {
  let seed = 0x811c9dc5;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
