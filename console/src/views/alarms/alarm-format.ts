// Pure display rules of the alarm pages: area names from the site tree, links to the location,
// shelve durations within the rule's maximum, which changes deserve a sound. Tested in node.
import type { AlarmPriority, AlarmView } from '../../../../contracts/alarms.js';
import type { SiteTree } from '../../../../contracts/api.js';
import { localized, type Locale } from '../../i18n.js';

export interface AreaLabel {
  /** Most specific name: the room, else the floor, else the building (else the raw area). */
  name: string;
  /** Where it is: "Basement 1 · Tower A" (empty when the area is a building or unknown). */
  where: string;
}

/** `a/b1/pump-b101` → { name: 'Pump room B101', where: 'Basement 1 · Tower A' } in the locale. */
export function areaLabel(site: SiteTree, area: string, locale: Locale): AreaLabel {
  const [buildingId, floorId, roomId] = area.split('/');
  const building = site.buildings.find((b) => b.id === buildingId);
  if (!building) return { name: area, where: '' };
  const buildingName = localized(building.name, locale);
  const floor = floorId ? building.floors.find((f) => f.id === floorId) : undefined;
  if (!floor) return { name: floorId ? area : buildingName, where: floorId ? buildingName : '' };
  const floorName = localized(floor.name, locale);
  if (!roomId) return { name: floorName, where: buildingName };
  const room = floor.rooms.find((r) => r.id === roomId);
  return { name: room ? localized(room.name, locale) : roomId, where: `${floorName} · ${buildingName}` };
}

/** The floor page of an area, with the room selected: `#/floor/a/b1/pump-b101`. Null for a building. */
export function floorHref(area: string): string | null {
  const parts = area.split('/').filter(Boolean);
  if (parts.length < 2) return null;
  return `#/${['floor', ...parts.slice(0, 3)].map(encodeURIComponent).join('/')}`;
}

/** Durations offered when shelving (minutes): from a quarter hour to the longest rule maximum. */
export const SHELVE_CHOICES_MIN = [15, 30, 60, 120, 240, 480, 720, 1440, 4320, 10080] as const;

/** The rules' default maximum (alarms.yaml `defaults.maxShelveMin`) until the hub tells otherwise. */
export const DEFAULT_MAX_SHELVE_MIN = 480;

/** Choices within the maximum; a maximum between two choices is offered itself. */
export function shelveChoices(maxMin: number): number[] {
  if (!(maxMin > 0)) return [];
  const within: number[] = SHELVE_CHOICES_MIN.filter((m) => m <= maxMin);
  if (!within.includes(maxMin)) within.push(maxMin);
  return within;
}

/** The maximum a refused shelve names ("… at most 60 min …"), if any. */
export function maxShelveFromError(message: string): number | undefined {
  const m = /at most (\d+(?:\.\d+)?) min/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** "15 min", "2 h", "1 d", "1 d 12 h" (minutes in, words of the locale). */
export function formatDuration(minutes: number, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const unit = { min: zh ? ' 分钟' : ' min', h: zh ? ' 小时' : ' h', d: zh ? ' 天' : ' d' };
  if (minutes < 60) return `${minutes}${unit.min}`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = Math.round(minutes % 60);
  const parts: string[] = [];
  if (days) parts.push(`${days}${unit.d}`);
  if (hours) parts.push(`${hours}${unit.h}`);
  if (mins) parts.push(`${mins}${unit.min}`);
  return parts.join(zh ? '' : ' ');
}

const SOUNDING: readonly AlarmPriority[] = ['critical', 'high'];

/**
 * Whether a change announces a new critical/high alarm to the room: it has just become
 * unacknowledged (raised, re-raised after clearing, or re-alarmed after an acknowledgement).
 * An alarm the console already showed as unacknowledged does not sound again.
 */
export function soundsNew(previous: AlarmView | undefined, next: AlarmView): boolean {
  return SOUNDING.includes(next.priority) && next.state === 'unacknowledged' && previous?.state !== 'unacknowledged';
}

/** Value of an alarm without the point's metadata: rounded number with unit, else as sent. */
export function plainValue(a: Pick<AlarmView, 'value' | 'unit'>): string {
  if (a.value === null) return '—';
  const v = typeof a.value === 'number' ? String(Math.round(a.value * 100) / 100) : String(a.value);
  return a.unit ? `${v} ${a.unit}` : v;
}
