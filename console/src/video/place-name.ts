// A camera's place in words from the site tree (`Tower A · Level 1 · Main lobby`).
import type { SiteTree } from '../../../contracts/api.js';
import { localized } from '../i18n.js';

/** `Building A · L01 · Lobby` from `a/l01/lobby-101`, falling back to the raw path. */
export function placeName(site: SiteTree, location: string | undefined): string {
  if (!location) return '';
  const [b, f, r] = location.split('/');
  const building = site.buildings.find((x) => x.id === b);
  const floor = building?.floors.find((x) => x.id === f);
  const room = floor?.rooms.find((x) => x.id === r);
  if (!building) return location;
  return [localized(building.name), floor ? localized(floor.name) : f, room ? localized(room.name) : r].filter(Boolean).join(' · ');
}
