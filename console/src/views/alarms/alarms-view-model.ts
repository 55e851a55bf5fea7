// The alarm list page's view-model, without DOM: the list and its filter, whether to group by
// area, what waits for an acknowledgement, the area choices, worded values (point metadata read
// once through AlarmClient) and the shelve maximum per alarm. alarms-view.ts only draws.
import type { AlarmPriority, AlarmSummary, AlarmView } from '../../../../contracts/alarms.js';
import type { SiteTree } from '../../../../contracts/api.js';
import type { PointInfo } from '../../../../contracts/point.js';
import { formatValue } from '../../format.js';
import { localized, type Locale } from '../../i18n.js';
import type { RouteParams } from '../../router.js';
import { areaLabel, DEFAULT_MAX_SHELVE_MIN, plainValue } from './alarm-format.js';
import { AlarmList, type AlarmListFilter } from './alarm-model.js';

export function areaOfParams(p: RouteParams): string {
  return [p.building, p.floor, p.room].filter(Boolean).join('/');
}

/** The area filter's choices: everywhere, then each building, floor and room (rooms indented). */
export function areaOptions(site: SiteTree, everywhere: string): Array<[string, string]> {
  const options: Array<[string, string]> = [['', everywhere]];
  for (const b of site.buildings) {
    options.push([b.id, localized(b.name)]);
    for (const f of b.floors) {
      options.push([`${b.id}/${f.id}`, `${localized(b.name)} · ${localized(f.name)}`]);
      for (const r of f.rooms) options.push([`${b.id}/${f.id}/${r.id}`, `\u2003${localized(f.name)} · ${localized(r.name)}`]);
    }
  }
  return options;
}

/** Alarms waiting for an acknowledgement, every priority. */
export const waitingCount = (s: AlarmSummary | null) => (s ? s.unacked.critical + s.unacked.high + s.unacked.medium + s.unacked.low : 0);

/** Changes whenever the flood banner's text would: redraw it only then. */
export const floodKey = (locale: Locale, s: AlarmSummary) => `${locale}|${s.recentCount}|${s.floodGroups.map((g) => `${g.area}:${g.count}`).join(',')}`;

/** "Leak — Plant room, B1 · Building A": what a dialog is about. */
export function subjectOf(site: SiteTree, a: AlarmView, locale: Locale): string {
  const where = areaLabel(site, a.area, locale);
  return `${localized(a.message)} — ${where.name}${where.where ? `, ${where.where}` : ''}`;
}

/** Shelve maxima learned from the hub (it names them when refusing), by alarm id, for the session. */
const learnedMaxShelve = new Map<string, number>();
export const learnMaxShelve = (id: string, minutes: number) => void learnedMaxShelve.set(id, minutes);
export const maxShelveOf = (a: AlarmView) =>
  (a as AlarmView & { maxShelveMin?: number }).maxShelveMin ?? learnedMaxShelve.get(a.id) ?? DEFAULT_MAX_SHELVE_MIN;

/** Point metadata for worded values ("Leak", "12.5 °C"); null = could not be read. Kept for the session. */
const pointInfos = new Map<string, PointInfo | null | 'loading'>();

/**
 * An alarm's value in words when its point's metadata is known; otherwise the plain value, and
 * the metadata is asked for once (`loaded` runs when it arrives, to redraw).
 */
export function valueText(a: AlarmView, locale: Locale, readPoint: (id: string) => Promise<PointInfo>, loaded: () => void, cache = pointInfos): string {
  const info = cache.get(a.pointId);
  if (info && info !== 'loading') return formatValue(info, a.value, locale);
  if (info === undefined) {
    cache.set(a.pointId, 'loading');
    readPoint(a.pointId).then(
      (p) => { cache.set(a.pointId, p); loaded(); },
      () => cache.set(a.pointId, null), // worded values are a nicety: keep the plain one
    );
  }
  return plainValue(a);
}

/** The list, the operator's filter and grouping choice. */
export class AlarmsViewState {
  readonly list = new AlarmList();
  readonly filter: AlarmListFilter;
  /** null: follow the flood flag; true/false: the operator chose. */
  groupChoice: boolean | null = null;
  /** Rebuild every row's text on the next render (language, worded values). */
  forceRows = false;

  constructor(params: RouteParams) {
    this.filter = { area: areaOfParams(params), priorities: [], showHidden: false };
  }

  setArea(area: string): void {
    this.filter.area = area;
  }

  /** '' = every priority. */
  setPriority(value: string): void {
    this.filter.priorities = value ? [value as AlarmPriority] : [];
  }

  setShowHidden(on: boolean): void {
    this.filter.showHidden = on;
  }

  setGrouped(on: boolean): void {
    this.groupChoice = on;
  }

  /** Grouped by area: as the operator chose, else while the hub reports a flood. */
  grouped(): boolean {
    return this.groupChoice ?? this.list.summary?.flood ?? false;
  }

  /** Whether rows must be rebuilt now; reading it clears it. */
  takeForce(): boolean {
    const force = this.forceRows;
    this.forceRows = false;
    return force;
  }
}
