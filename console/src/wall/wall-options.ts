// The wall's URL options (`#/wall/a?cycle=30&layer=temperature&kiosk=1`), parsed without the DOM.
import { LAYERS, type Layer } from '../scene/room-state.js';

export interface WallOptions {
  /** Seconds per floor on the tour; 0 = no tour. */
  cycle: number;
  layer: Layer;
  /** Hide the site tree and footer: a display with nobody at it. */
  kiosk: boolean;
  /** Start on one floor. */
  floor: string | null;
}

export function parseWallOptions(hash: string): WallOptions {
  const query = new URLSearchParams(hash.split('?')[1] ?? '');
  const cycleRaw = Number(query.get('cycle') ?? '0');
  // Under 5 s a floor is gone before anyone has read it; cap at a day.
  const cycle = Number.isFinite(cycleRaw) && cycleRaw > 0 ? Math.min(86_400, Math.max(5, Math.round(cycleRaw))) : 0;
  const layerRaw = query.get('layer');
  const layer = (LAYERS as readonly string[]).includes(layerRaw ?? '') ? (layerRaw as Layer) : 'alarms';
  const kioskRaw = query.get('kiosk');
  return { cycle, layer, kiosk: kioskRaw === null ? cycle > 0 : kioskRaw !== '0', floor: query.get('floor') };
}

/** The next stop of the tour: all floors, then each floor in turn. */
export function nextTourStop(current: string | null, floors: readonly string[]): string | null {
  if (!floors.length) return null;
  if (current === null) return floors[0];
  const i = floors.indexOf(current);
  return i < 0 || i === floors.length - 1 ? null : floors[i + 1];
}
