// The demo's outdoor cameras (config/sitemap.geojson, config/devices/cameras.yaml): served on demand
// by one RTSP server (on-demand.ts), so the 17 of them cost nothing until someone watches. The five
// domes also answer ONVIF (PTZ: the site map aims them at an alarm); the fixed ones are RTSP-only.
// Ids are the site map's camera ids and the hub's connection ids.
import type { OnDemandCamera } from './on-demand.js';
import type { Preset } from './responses.js';

export interface OutdoorCamera extends OnDemandCamera {
  /** A dome: its presets in degrees (pan relative to its home heading, tilt below the horizon). */
  dome?: { presets: Array<{ token: string; pan: number; tilt: number }> };
}

const dome = (...presets: Array<[string, number]>) => ({ presets: presets.map(([token, pan]) => ({ token, pan, tilt: -8 })) });

export const DEMO_OUTDOOR_CAMERAS: OutdoorCamera[] = [
  { id: 'cam-x-sw-ptz', name: 'SW junction dome', dome: dome(['west-street', 0], ['south-road', 90], ['junction', -137]) },
  { id: 'cam-x-sw-fix', name: 'SW junction, Renmin Road east' },
  { id: 'cam-x-se-ptz', name: 'SE junction dome', dome: dome(['east-street', 90], ['south-road', 0], ['junction', -133]) },
  { id: 'cam-x-se-fix', name: 'SE junction, Wenhua Street north' },
  { id: 'cam-x-nw-ptz', name: 'NW junction dome', dome: dome(['west-street', 94], ['north-road', 0], ['junction', -133]) },
  { id: 'cam-x-nw-fix', name: 'NW junction, Jianshe Street south' },
  { id: 'cam-x-ne-ptz', name: 'NE junction dome', dome: dome(['east-street', 0], ['north-road', 90], ['junction', -137]) },
  { id: 'cam-x-ne-fix', name: 'NE junction, Zhongshan Road west' },
  { id: 'cam-n-mid', name: 'Zhongshan Road mid-block' },
  { id: 'cam-s-mid', name: 'Renmin Road mid-block' },
  { id: 'cam-w-mid', name: 'Jianshe Street mid-block' },
  { id: 'cam-e-mid', name: 'Wenhua Street mid-block' },
  { id: 'cam-gate-s', name: 'South gate' },
  { id: 'cam-gate-n', name: 'North gate' },
  { id: 'cam-plaza', name: 'Plaza dome', dome: dome(['plaza-north', 30], ['plaza-south', -80], ['tower-a', -20]) },
  { id: 'cam-park-sw', name: 'Car park south-west' },
  { id: 'cam-park-ne', name: 'Car park north-east' },
];

/** Demo ports: the on-demand RTSP server, and ONVIF for the domes (8091, 8092, … in list order). */
export const DEMO_OUTDOOR_PORTS = { rtsp: 8600, onvif: 8091 } as const;

/**
 * A dome's presets in ONVIF's generic space, as the camera stores them: pan −180…180° ↔ −1…1,
 * tilt −90…0° ↔ −1…1 (the ranges the site map gives the domes; it maps its angles the same way).
 */
export function domePresets(c: OutdoorCamera): Preset[] {
  const lin = (v: number, [d0, d1]: [number, number]) => Math.round((-1 + ((v - d0) / (d1 - d0)) * 2) * 1000) / 1000;
  return (c.dome?.presets ?? []).map((p) => ({ token: p.token, name: p.token, position: { pan: lin(p.pan, [-180, 180]), tilt: lin(p.tilt, [-90, 0]), zoom: 0 } }));
}
