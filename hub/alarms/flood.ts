// Alarm flood (ISA-18.2 / EEMUA 191: more than 10 new alarms in 10 minutes per operator) and
// grouping of the recent alarms by area, so a flooded console shows areas, not a wall of rows.
import type { FloodGroup } from '../../contracts/alarms.js';

export const FLOOD_WINDOW_MS = 10 * 60_000;
export const FLOOD_THRESHOLD = 10;

export interface Activation { ts: number; alarmId: string; area: string }

export interface FloodState { flood: boolean; recentCount: number; groups: FloodGroup[] }

/** Pure: which activations of `recent` fall within the window ending at `now`, and whether that is a flood. */
export function floodState(recent: readonly Activation[], now: number, windowMs = FLOOD_WINDOW_MS, threshold = FLOOD_THRESHOLD): FloodState {
  const inWindow = recent.filter((a) => a.ts > now - windowMs && a.ts <= now);
  const flood = inWindow.length > threshold;
  if (!flood) return { flood, recentCount: inWindow.length, groups: [] };
  const byArea = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const a of inWindow) {
    let ids = byArea.get(a.area);
    if (!ids) byArea.set(a.area, (ids = new Set()));
    ids.add(a.alarmId);
    counts.set(a.area, (counts.get(a.area) ?? 0) + 1);
  }
  const groups = [...byArea].map(([area, ids]) => ({ area, count: counts.get(area)!, alarmIds: [...ids].sort() }));
  groups.sort((a, b) => b.count - a.count || a.area.localeCompare(b.area));
  return { flood, recentCount: inWindow.length, groups };
}

/** Drops activations older than the window (in place, oldest first). */
export function pruneActivations(recent: Activation[], now: number, windowMs = FLOOD_WINDOW_MS): void {
  let drop = 0;
  while (drop < recent.length && recent[drop].ts <= now - windowMs) drop++;
  if (drop > 0) recent.splice(0, drop);
}
