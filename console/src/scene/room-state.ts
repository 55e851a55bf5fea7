// Pure rules from live point states and alarms to what a room looks like on each layer.
// No Three.js here, so the rules are table-tested and the benchmark measures only drawing.
import { ALARM_PRIORITIES, type AlarmPriority, type AlarmView } from '../../../contracts/alarms.js';
import type { PointInfo, PointState } from '../../../contracts/point.js';
import { DEVIATION_COLOURS, NEUTRAL, PRIORITY_COLOURS, QUALITY_COLOURS } from './palette.js';

export const LAYERS = ['alarms', 'temperature', 'humidity', 'co2', 'energy'] as const;
export type Layer = (typeof LAYERS)[number];

/** `floor/room`, the key of a room inside one building. */
export const roomKey = (floor: string, room: string) => `${floor}/${room}`;

export type PointMeta = Pick<PointInfo, 'id' | 'brick' | 'unit' | 'kind'>;

/** Which layer a point feeds, if any. Setpoints and supply/return temperatures are not room air. */
export function layerOfPoint(p: PointMeta): Exclude<Layer, 'alarms'> | null {
  if (p.kind !== 'analog') return null;
  const brick = p.brick ?? '';
  const last = p.id.split('/').pop() ?? '';
  if (/Setpoint/i.test(brick) || /-sp$|setpoint/.test(last)) return null;
  if (/CO2/i.test(brick) || /co2/.test(last)) return 'co2';
  if (/Humidity/i.test(brick) || /humidity/.test(last)) return 'humidity';
  if (/Supply|Return|Water|Discharge|Outside/i.test(brick)) return null;
  if (/Temperature/i.test(brick) || /^(zone-)?temp(erature)?$/.test(last)) return 'temperature';
  if (p.unit === 'kW' && !/Reactive/i.test(brick)) return 'energy';
  return null;
}

/** Normal bands: inside them a room stays grey. Steps: how far out each stronger tone starts. */
export const BANDS: Record<Exclude<Layer, 'alarms'>, { low: number; high: number; step: number; unit: string }> = {
  temperature: { low: 19, high: 27, step: 2, unit: '°C' },
  humidity: { low: 30, high: 65, step: 10, unit: '%' },
  co2: { low: -Infinity, high: 1000, step: 400, unit: 'ppm' },
  energy: { low: -Infinity, high: 60, step: 40, unit: 'kW' },
};

export type RoomLook =
  | { kind: 'none' }
  | { kind: 'normal'; value: number }
  | { kind: 'low' | 'high'; value: number; level: 1 | 2 | 3 }
  | { kind: 'untrusted'; quality: 'stale' | 'comm_fail'; value: number | null }
  | { kind: 'alarm'; priority: AlarmPriority; count: number };

/** The room's value on a measured layer: mean (energy: sum) of its good points; untrusted when none is good. */
export function measuredLook(layer: Exclude<Layer, 'alarms'>, states: ReadonlyArray<PointState | undefined>): RoomLook {
  if (!states.length) return { kind: 'none' };
  const good = states.filter((s): s is PointState => !!s && (s.quality === 'good' || s.quality === 'uncertain') && typeof s.value === 'number');
  if (!good.length) {
    const worst = states.some((s) => !s || s.quality === 'comm_fail' || s.quality === 'bad') ? 'comm_fail' : 'stale';
    const last = states.find((s) => typeof s?.value === 'number')?.value as number | undefined;
    return { kind: 'untrusted', quality: worst, value: last ?? null };
  }
  const sum = good.reduce((acc, s) => acc + (s.value as number), 0);
  const value = layer === 'energy' ? sum : sum / good.length;
  const band = BANDS[layer];
  if (value > band.high) return { kind: 'high', value, level: Math.min(3, 1 + Math.floor((value - band.high) / band.step)) as 1 | 2 | 3 };
  if (value < band.low) return { kind: 'low', value, level: Math.min(3, 1 + Math.floor((band.low - value) / band.step)) as 1 | 2 | 3 };
  return { kind: 'normal', value };
}

/** Alarms that still want attention: active ones and unacknowledged returns; shelved/suppressed/OOS do not show. */
export function isShownAlarm(a: Pick<AlarmView, 'state' | 'active'>): boolean {
  if (a.state === 'shelved' || a.state === 'suppressed' || a.state === 'out_of_service' || a.state === 'normal') return false;
  return a.active || a.state === 'unacknowledged' || a.state === 'rtn_unacknowledged' || a.state === 'latched';
}

/** Highest-priority alarm of a room. */
export function alarmLook(alarms: Iterable<Pick<AlarmView, 'priority' | 'state' | 'active'>>): RoomLook {
  let best: number = ALARM_PRIORITIES.length;
  let count = 0;
  for (const a of alarms) {
    if (!isShownAlarm(a)) continue;
    count++;
    best = Math.min(best, ALARM_PRIORITIES.indexOf(a.priority));
  }
  return count ? { kind: 'alarm', priority: ALARM_PRIORITIES[best] as AlarmPriority, count } : { kind: 'normal', value: 0 };
}

/** Colour of a look: grey when normal, deviation tones, quality tones, priority colours. */
export function lookColour(look: RoomLook): string {
  switch (look.kind) {
    case 'none': return NEUTRAL.room;
    case 'normal': return NEUTRAL.room;
    case 'low': return DEVIATION_COLOURS.low[look.level - 1];
    case 'high': return DEVIATION_COLOURS.high[look.level - 1];
    case 'untrusted': return QUALITY_COLOURS[look.quality];
    case 'alarm': return PRIORITY_COLOURS[look.priority];
  }
}

/** Does this look deserve a label on the plan (the redundant, non-colour cue)? */
export const isAbnormal = (look: RoomLook) => look.kind !== 'none' && look.kind !== 'normal';
