// The camera wall's pages: which cameras a layout of N tiles shows, and the wall URL options.
export const WALL_LAYOUTS = [1, 4, 9, 16] as const;
export type WallLayout = (typeof WALL_LAYOUTS)[number];

export interface WallOptions {
  layout: WallLayout;
  /** Seconds per page when there are more cameras than tiles; 0 = no cycling. */
  cycleS: number;
  /** Start page (0-based). */
  page: number;
}

/** `layout=4&cycle=30&page=0` from the hash's query; unknown or bad values fall back to defaults. */
export function parseWallOptions(query: string): WallOptions {
  const q = new URLSearchParams(query.replace(/^\?/, ''));
  const layout = Number(q.get('layout'));
  const cycle = Number(q.get('cycle') ?? 30);
  const page = Number(q.get('page') ?? 0);
  return {
    layout: (WALL_LAYOUTS as readonly number[]).includes(layout) ? (layout as WallLayout) : 4,
    cycleS: Number.isFinite(cycle) && cycle >= 0 ? Math.max(cycle === 0 ? 0 : 5, Math.round(cycle)) : 30,
    page: Number.isInteger(page) && page >= 0 ? page : 0,
  };
}

export function pageCount(cameraCount: number, layout: number): number {
  return Math.max(1, Math.ceil(cameraCount / layout));
}

/** The cameras of page `page` (wrapping around). */
export function wallPage<T>(cameras: readonly T[], layout: number, page: number): T[] {
  const n = pageCount(cameras.length, layout);
  const p = ((page % n) + n) % n;
  return cameras.slice(p * layout, p * layout + layout);
}

/** Grid columns for a layout: 1, 2, 3, 4. */
export function columnsOf(layout: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(layout)));
}
