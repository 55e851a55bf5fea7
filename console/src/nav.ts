// The console's pages as data: one entry per page, used by the desk's view links and the phone's
// bottom tab bar. Adding a page is one entry here plus its route in app.ts, e.g.
//   { id: 'workorders', label: 'nav.workorders', href: () => '#/workorders', icon: '✎', phone: true },
// `phone: true` puts it in the bottom tab bar (the first PHONE_TABS of them; the rest go to "More").
import type { SiteTree } from '../../contracts/api.js';
import type { MessageKey } from './i18n.js';
import { hrefOf } from './router.js';

export interface NavEntry {
  /** The first path segment of the page's routes (`#/alarms/...` → `alarms`): marks the current page. */
  id: string;
  label: MessageKey;
  href: (site: SiteTree) => string;
  /** One character shown above the label in the phone's tab bar. */
  icon: string;
  /** In the phone's bottom tab bar. */
  phone?: boolean;
  /** Only for users who hold this permission, or one of these (hiding, not security: the hub enforces). */
  permission?: string | readonly string[];
}

export const NAV: NavEntry[] = [
  { id: 'alarms', label: 'nav.alarms', href: () => hrefOf('alarms'), icon: '◆', phone: true },
  { id: 'decision', label: 'nav.decision', href: () => '#/decision', icon: '◎', phone: true, permission: 'reports:read' },
  { id: 'cameras', label: 'cam.nav', href: () => hrefOf('cameras'), icon: '◉', phone: true },
  { id: 'wall', label: 'nav.wall', href: (site) => hrefOf('wall', site.buildings[0]?.id ?? ''), icon: '▦' },
  { id: 'sitemap', label: 'map.nav', href: () => '#/sitemap', icon: '⌖' },
  { id: 'floor', label: 'nav.points', href: (site) => floorHref(site), icon: '☰', phone: true },
  { id: 'dashboard', label: 'nav.dashboard', href: () => hrefOf('dashboard'), icon: '▤' },
  { id: 'trends', label: 'nav.trends', href: () => hrefOf('trends'), icon: '∿' },
  { id: 'control', label: 'nav.control', href: () => '#/control/schedules', icon: '⚙' },
  { id: 'workorders', label: 'nav.workorders', href: () => '#/workorders', icon: '✎', phone: true, permission: 'workorders:create' },
  { id: 'patrols', label: 'nav.patrols', href: () => '#/patrols', icon: '⌖', phone: true, permission: ['patrols:scan', 'patrols:read'] },
  { id: 'admin', label: 'nav.admin', href: () => '#/admin', icon: '⚒', permission: 'alarms:rules' },
  { id: 'testruns', label: 'nav.testruns', href: () => '#/testruns', icon: '⚗', permission: 'testruns:run' },
  { id: 'reports', label: 'nav.reports', href: () => '#/reports', icon: '▧', permission: 'reports:read' },
  { id: 'recordings', label: 'nav.recordings', href: () => '#/recordings', icon: '⏵', permission: 'recordings:view' },
];

/** How many entries fit the phone's bottom bar before "More" (at 390 px, ~78 px per tab). */
export const PHONE_TABS = 4;

function floorHref(site: SiteTree): string {
  const building = site.buildings[0];
  const floor = building?.floors[0];
  return building && floor ? hrefOf('floor', building.id, floor.id) : '#/';
}

/** Entries this user may see, in order. */
export function visibleEntries(entries: readonly NavEntry[], permissions: readonly string[] | undefined): NavEntry[] {
  return entries.filter((e) => !e.permission || !permissions || (typeof e.permission === 'string' ? [e.permission] : e.permission).some((p) => permissions.includes(p)));
}

/** The phone's tab bar: the first `max` phone entries; the rest (and non-phone ones) go under "More". */
export function phoneTabs(entries: readonly NavEntry[], max = PHONE_TABS): { tabs: NavEntry[]; more: NavEntry[] } {
  const phone = entries.filter((e) => e.phone);
  const tabs = phone.slice(0, max);
  return { tabs, more: entries.filter((e) => !tabs.includes(e)) };
}

/** `#/alarms/journal?x` → `alarms`; `#/` → `` (the home page is the floor view). */
export function currentNavId(hash: string): string {
  const first = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return first === '' ? 'floor' : first;
}
