// Pure rules for a device marker: colour, size and a flag from its kind and its points' states.
import type { PointState } from '../../../contracts/point.js';
import type { DeviceKind } from '../../../contracts/geometry.js';
import { NEUTRAL, PRIORITY_COLOURS, QUALITY_COLOURS } from './palette.js';

export type MarkerFlag = 'normal' | 'active' | 'alarm' | 'stale' | 'comm_fail' | 'none';

export interface MarkerLook {
  colour: string;
  /** Relative size: untrusted markers shrink, alarms grow, so size is a cue besides colour. */
  scale: number;
  flag: MarkerFlag;
}

const on = (s: PointState | undefined) => !!s && (s.value === true || s.value === 1 || s.value === '1');

/** `states` keyed by the point's last id segment (e.g. `leak`, `open`, `status`). */
export function markerLook(kind: DeviceKind, states: ReadonlyMap<string, PointState>): MarkerLook {
  if (states.size === 0) return { colour: QUALITY_COLOURS.none, scale: 0.7, flag: 'none' };
  const all = [...states.values()];
  if (all.every((s) => s.quality === 'comm_fail' || s.quality === 'bad')) return { colour: QUALITY_COLOURS.comm_fail, scale: 0.7, flag: 'comm_fail' };
  if (all.every((s) => s.quality === 'stale')) return { colour: QUALITY_COLOURS.stale, scale: 0.7, flag: 'stale' };
  switch (kind) {
    case 'leak':
      if (on(states.get('leak'))) return { colour: PRIORITY_COLOURS.critical, scale: 1.6, flag: 'alarm' };
      break;
    case 'door':
      if (on(states.get('forced')) || on(states.get('held-open'))) return { colour: PRIORITY_COLOURS.high, scale: 1.4, flag: 'alarm' };
      if (on(states.get('open'))) return { colour: NEUTRAL.markerActive, scale: 1.25, flag: 'active' };
      break;
    case 'window':
      if ([...states.entries()].some(([k, s]) => k.startsWith('window') && on(s))) return { colour: NEUTRAL.markerActive, scale: 1.25, flag: 'active' };
      break;
    case 'light':
      if ([...states.entries()].some(([k, s]) => !k.endsWith('-current') && k !== 'manual-override' && on(s))) return { colour: NEUTRAL.markerActive, scale: 1.25, flag: 'active' };
      break;
    case 'camera': {
      const status = states.get('status');
      if (status && status.value !== 1 && status.value !== '1') return { colour: QUALITY_COLOURS.comm_fail, scale: 0.9, flag: 'comm_fail' };
      if (on(states.get('tamper'))) return { colour: PRIORITY_COLOURS.high, scale: 1.4, flag: 'alarm' };
      if (on(states.get('motion'))) return { colour: NEUTRAL.markerActive, scale: 1.25, flag: 'active' };
      break;
    }
    default:
      if ([...states.entries()].some(([k, s]) => /fault|alarm|trip/.test(k) && on(s))) return { colour: PRIORITY_COLOURS.high, scale: 1.4, flag: 'alarm' };
  }
  return { colour: NEUTRAL.marker, scale: 1, flag: 'normal' };
}
