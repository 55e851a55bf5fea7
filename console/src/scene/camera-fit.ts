// How far the camera stands from what it frames, pure (split out of building-scene.ts).
export type ViewPreset = 'iso' | 'top' | 'front';

export interface FitInput {
  view: ViewPreset;
  /** Vertical field of view, degrees. */
  fovDeg: number;
  aspect: number;
  /** The plan's width and depth, and the height framed (a floor's, or the whole stack's). */
  span: number;
  depth: number;
  height: number;
  /** One floor alone. */
  focused: boolean;
}

/** The camera's direction from its target for each view (not normalised). */
export const VIEW_DIRECTION: Record<ViewPreset, [number, number, number]> = { top: [0, 1, 0.001], front: [0, 0.12, 1], iso: [0.5, 0.42, 0.76] };

export function cameraDistance({ view, fovDeg, aspect, span, depth, height, focused }: FitInput): number {
  const fov = (fovDeg * Math.PI) / 180;
  // Fit the bounding sphere in the vertical field of view (the narrower one on a wide screen).
  const radius = 0.5 * Math.hypot(span, depth, focused ? 2 : height);
  const fitH = Math.min(fov, 2 * Math.atan(Math.tan(fov / 2) * Math.max(0.5, aspect)));
  // A focused floor seen from above is a flat rectangle: fit its width and depth to the screen
  // (the bounding sphere would leave it small, and its room names unreadable from 5 m).
  const tanV = Math.tan(fov / 2);
  if (focused && view === 'top') return 1.08 * Math.max(depth / 2 / tanV, span / 2 / (tanV * Math.max(0.3, aspect)));
  return (radius / Math.sin(fitH / 2)) * (view === 'top' ? 0.85 : 1.0);
}
