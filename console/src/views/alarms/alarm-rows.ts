// One row of the alarm list, kept across redraws (keyed by alarm id) so an open popover or a
// focused field survives the once-a-second age refresh; only changed texts touch the DOM.
import type { AlarmView } from '../../../../contracts/alarms.js';
import type { SiteTree } from '../../../../contracts/api.js';
import { h, setAttr, setText } from '../../dom.js';
import { formatAge } from '../../format.js';
import { formatDateTime, getLocale } from '../../i18n.js';
import { areaLabel, floorHref } from './alarm-format.js';
import { needsAck } from './alarm-model.js';
import { at } from './alarm-text.js';
import { priorityBadgeText } from './alarms-nav.js';
import { testBadgeText, testBadgeTitle } from './test-badge.js';

export interface RowActions {
  ack(anchor: HTMLElement, a: AlarmView): void;
  notes(a: AlarmView): void;
  shelve(a: AlarmView): void;
  unshelve(a: AlarmView): void;
  outOfService(a: AlarmView): void;
  returnToService(a: AlarmView): void;
}

export interface RowContext {
  site: SiteTree;
  canAck: boolean;
  canShelve: boolean;
  actions: RowActions;
  /** Link to the room in the 3D wall, when the console has that route. */
  wallHref?(area: string): string | null;
}

export interface AlarmRow {
  tr: HTMLTableRowElement;
  /** What the action buttons were drawn for: redrawn only when it changes. */
  actionsKey: string;
  notesOpen: boolean;
}

const CELLS = ['priority', 'state', 'area', 'message', 'value', 'age', 'actions'] as const;
export const COLUMN_COUNT = CELLS.length;

export function createRow(id: string): AlarmRow {
  const tr = h('tr', { 'data-alarm-id': id },
    h('td', { class: 'alarm-priority' }, h('span', { class: 'prio-badge' }), h('span', { class: 'test-badge', hidden: true })),
    h('td', { class: 'alarm-state' }),
    h('td', { class: 'alarm-area' }),
    h('td', { class: 'alarm-message' }),
    h('td', { class: 'alarm-value' }),
    h('td', { class: 'alarm-age' }),
    h('td', { class: 'alarm-actions' }));
  return { tr, actionsKey: '', notesOpen: false };
}

function cell(row: AlarmRow, name: (typeof CELLS)[number]): HTMLTableCellElement {
  return row.tr.cells[CELLS.indexOf(name)];
}

/** Redraws the row for the alarm as it is now (`force` after a language switch). */
export function updateRow(row: AlarmRow, a: AlarmView, ageMs: number, valueText: string, ctx: RowContext, force = false): void {
  const { tr } = row;
  const locale = getLocale();
  const cls = `alarm p-${a.priority} s-${a.state}${a.escalated ? ' escalated' : ''}${row.notesOpen ? ' notes-open' : ''}${a.test ? ' is-test' : ''}`;
  if (tr.className !== cls) tr.className = cls;
  setText(cell(row, 'priority').firstElementChild!, priorityBadgeText(a.priority));
  // A drill must never pass for a real event: the badge sits beside the priority, on desk and phone.
  const testEl = cell(row, 'priority').lastElementChild as HTMLElement;
  if (testEl.hidden !== !a.test) testEl.hidden = !a.test;
  if (a.test) {
    setText(testEl, testBadgeText(locale));
    setAttr(testEl, 'title', testBadgeTitle(a.test, locale));
  }
  // At the desk every cell is one line and a long text ends in "…": the whole of it is the title.
  const stateText = a.escalated ? `${at(`state.${a.state}`)} · ${at('escalated')}` : at(`state.${a.state}`);
  setText(cell(row, 'state'), stateText);
  setAttr(cell(row, 'state'), 'title', stateText);
  const since = a.activeSince ?? a.lastChange;
  const ageCell = cell(row, 'age');
  setText(ageCell, formatAge(ageMs, locale));
  setAttr(ageCell, 'title', at('since', { time: formatDateTime(since) }));
  const message = a.message[locale] || a.message.en;
  setText(cell(row, 'message'), message);
  setAttr(cell(row, 'message'), 'title', message);
  const valueCell = cell(row, 'value');
  setText(valueCell, valueText);
  const qualityClass = `alarm-value q-${(a.quality ?? 'none').replace('_', '-')}`;
  if (valueCell.className !== qualityClass) valueCell.className = qualityClass;

  const areaKey = `${a.area}|${locale}`;
  const areaCell = cell(row, 'area');
  if (force || areaCell.dataset.key !== areaKey) {
    areaCell.dataset.key = areaKey;
    const label = areaLabel(ctx.site, a.area, locale);
    const href = floorHref(a.area);
    const wall = ctx.wallHref?.(a.area);
    const parts: HTMLElement[] = [href ? h('a', { class: 'alarm-location', href, title: at('goto.floor') }, label.name) : h('span', {}, label.name)];
    if (wall) parts.push(h('a', { class: 'alarm-wall', href: wall, title: at('goto.wall') }, at('goto.wallShort')));
    if (label.where) parts.push(h('span', { class: 'alarm-where' }, label.where));
    areaCell.replaceChildren(...parts);
    // The desk shows the room only (one line); the floor and building are in the title.
    setAttr(areaCell, 'title', label.where ? `${label.name} · ${label.where}` : label.name);
  }

  const actionsKey = `${a.state}|${row.notesOpen}|${locale}`;
  if (force || row.actionsKey !== actionsKey) {
    row.actionsKey = actionsKey;
    cell(row, 'actions').replaceChildren(...actionButtons(a, row, ctx));
  }
}

function actionButtons(a: AlarmView, row: AlarmRow, ctx: RowContext): HTMLElement[] {
  const out: HTMLElement[] = [];
  // `short`: the label at desk widths up to 1700 px (alarms.css), where the full one would squeeze
  // the message column; the full text stays in the title.
  const button = (label: string, cls: string, onclick: (e: Event) => void, attrs: Record<string, string> = {}, short?: string) =>
    out.push(h('button', { type: 'button', class: `btn ${cls}`, onclick, ...attrs, ...(short ? { title: label } : {}) },
      ...(short ? [h('span', { class: 'label-full' }, label), h('span', { class: 'label-short' }, short)] : [label])));
  const { actions } = ctx;
  if (ctx.canAck && needsAck(a.state)) {
    // A latched alarm's condition has cleared: acknowledging it resets the latch, so say so.
    button(a.state === 'latched' ? at('reset') : at('ack'), 'alarm-ack primary', (e) => actions.ack(e.currentTarget as HTMLElement, a), { 'aria-haspopup': 'dialog', 'aria-expanded': 'false' });
  }
  button(row.notesOpen ? at('notes.hide') : at('notes'), 'alarm-notes ghost', () => actions.notes(a), { 'aria-expanded': String(row.notesOpen) });
  if (ctx.canShelve) {
    if (a.state === 'shelved') button(at('unshelve'), 'alarm-unshelve', () => actions.unshelve(a));
    else if (a.state !== 'out_of_service') button(at('shelve'), 'alarm-shelve', () => actions.shelve(a));
    if (a.state === 'out_of_service') button(at('rts'), 'alarm-rts', () => actions.returnToService(a));
    else button(at('oos'), 'alarm-oos', () => actions.outOfService(a), {}, at('oos.short'));
  }
  return out;
}

