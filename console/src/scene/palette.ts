// The one place colours are defined (ISA-101 high-performance HMI): a calm grey building, colour
// only for what is abnormal, and every colour paired with a shape and a word so it never carries
// meaning alone (colour-blind operators, a wall seen from across the room). The alarm banner,
// the alarm pulses, the markers and the layer legends all read from here.
import type { AlarmPriority } from '../../../contracts/alarms.js';

/** Priority colours: distinct in hue and lightness (deuteranopia/protanopia safe ordering). */
export const PRIORITY_COLOURS: Record<AlarmPriority, string> = {
  critical: '#e5484d',
  high: '#f08c2e',
  medium: '#e8d44d',
  low: '#5fa8e8',
};

/** Shape per priority, shown beside the colour (banner, labels, legend). */
export const PRIORITY_SHAPES: Record<AlarmPriority, string> = {
  critical: '◆',
  high: '▲',
  medium: '■',
  low: '●',
};

/** The neutral building: slab, normal rooms, edges, normal markers. */
export const NEUTRAL = {
  background: '#15181c',
  slab: '#2a2f36',
  room: '#4a515b',
  roomSelected: '#6f7e92',
  edge: '#8a94a0',
  marker: '#c9d0d8',
  markerActive: '#f4f6f8',
} as const;

/** Data that cannot be trusted: stale amber, comm-fail magenta (as the points table). */
export const QUALITY_COLOURS = {
  stale: '#b99a4a',
  comm_fail: '#b070b0',
  none: '#3a3f46',
} as const;

/** Off-normal, not an alarm: a cool and a warm tone, desaturated so alarms stay the loudest. */
export const DEVIATION_COLOURS = {
  low: ['#4a6a8c', '#3f7bbf', '#2f8ff0'],
  high: ['#8c6a4a', '#bf8a3f', '#f0a02f'],
} as const;

export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** Writes the palette as CSS custom properties so stylesheets use the same values. */
export function applyPaletteToCss(root: HTMLElement): void {
  for (const [priority, colour] of Object.entries(PRIORITY_COLOURS)) root.style.setProperty(`--prio-${priority}`, colour);
  root.style.setProperty('--q-stale', QUALITY_COLOURS.stale);
  root.style.setProperty('--q-comm-fail', QUALITY_COLOURS.comm_fail);
}
