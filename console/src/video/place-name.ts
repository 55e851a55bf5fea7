// A camera's place in words from the site tree (`Tower A · Level 1 · Main lobby`).
import type { SiteTree } from '../../../contracts/api.js';
import { getLocale, localized, type Locale } from '../i18n.js';

/** `Tower A · Level 1 · Main lobby` from `a/l01/lobby-101`; unknown parts stay as they are. */
export function placeName(site: SiteTree, location: string | undefined, locale: Locale = getLocale()): string {
  if (!location) return '';
  const [b, f, r] = location.split('/');
  const building = site.buildings.find((x) => x.id === b);
  const floor = building?.floors.find((x) => x.id === f);
  const room = floor?.rooms.find((x) => x.id === r);
  if (!building) return location;
  return [localized(building.name, locale), floor ? localized(floor.name, locale) : f, room ? localized(room.name, locale) : r].filter(Boolean).join(' · ');
}
