// The tabs shared by the alarm pages: list · journal · KPIs.
import type { AlarmPriority } from '../../../../contracts/alarms.js';
import { h, setText } from '../../dom.js';
import { PRIORITY_COLOURS, PRIORITY_SHAPES } from '../../scene/palette.js';
import { at } from './alarm-text.js';

export type AlarmPage = 'list' | 'journal' | 'kpi';

const PAGES: Array<{ page: AlarmPage; href: string; label: 'nav.list' | 'nav.journal' | 'nav.kpi' }> = [
  { page: 'list', href: '#/alarms', label: 'nav.list' },
  { page: 'journal', href: '#/alarms/journal', label: 'nav.journal' },
  { page: 'kpi', href: '#/alarms/kpi', label: 'nav.kpi' },
];

export function alarmTabs(active: AlarmPage): { element: HTMLElement; relabel(): void } {
  const links = PAGES.map((p) =>
    h('a', { class: `alarm-tab${p.page === active ? ' active' : ''}`, href: p.href, 'aria-current': p.page === active ? 'page' : null }));
  const element = h('nav', { class: 'alarm-tabs' }, ...links);
  const relabel = () => PAGES.forEach((p, i) => setText(links[i], at(p.label)));
  relabel();
  return { element, relabel };
}

/** The console's one priority palette as --prio-* on the page, so the CSS uses the same colours. */
export function paintPriorities(el: HTMLElement): HTMLElement {
  for (const [p, colour] of Object.entries(PRIORITY_COLOURS)) el.style.setProperty(`--prio-${p}`, colour);
  return el;
}

/** "◆ Critical": the shape beside the word, so colour never carries the meaning alone. */
export function priorityBadgeText(p: AlarmPriority): string {
  return `${PRIORITY_SHAPES[p]} ${at(`priority.${p}`)}`;
}
