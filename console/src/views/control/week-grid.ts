// The week grid: one column per weekday plus the holiday column, time running down. With edit
// rights: drag on empty space to create a period, drag a period's top/bottom edge to resize it,
// click a period to select it. The editing rules themselves are the pure functions of week-model.ts.
import { h } from '../../dom.js';
import { t, type MessageKey } from '../../i18n.js';
import type { Period } from './control-api.js';
import { DAY_MIN, addPeriod, draftPeriod, minuteAt, minutesOf, periodAt, periodLabelStyle, resizePeriod } from './week-model.js';

export interface GridColumn {
  /** `mon`..`sun` or `holiday`. */
  key: string;
  label: string;
  periods: Period[];
}

export interface WeekGridOptions {
  editable: boolean;
  /** Called after a drag created or resized something: the new list of that column, and the period to select. */
  onChange(list: string, periods: Period[], select: number): void;
  onSelect(list: string, index: number): void;
}

export interface WeekGrid {
  element: HTMLElement;
  render(columns: GridColumn[], selected: { list: string; index: number } | null, problems: Map<string, string[]>): void;
}

const pct = (minutes: number) => `${(minutes / DAY_MIN) * 100}%`;

function place(el: HTMLElement, p: Period): void {
  el.style.top = pct(minutesOf(p.start));
  // An inverted period (typed, refused by the hub) still gets a visible sliver to carry its problem.
  el.style.height = pct(Math.max(minutesOf(p.end) - minutesOf(p.start), 15));
}

export function createWeekGrid(o: WeekGridOptions): WeekGrid {
  const element = h('div', { class: o.editable ? 'wg editable' : 'wg', 'data-testid': 'week-grid' });

  const render: WeekGrid['render'] = (columns, selected, problems) => {
    const axis = h('div', { class: 'wg-axis' });
    for (let hour = 0; hour <= 24; hour += 2) {
      const label = h('span', {}, `${String(hour).padStart(2, '0')}:00`);
      label.style.top = pct(hour * 60);
      axis.append(label);
    }
    const heads = [h('div', { class: 'wg-head' }), ...columns.map((c) => h('div', { class: 'wg-head' }, c.label))];
    const cols = columns.map((c) => column(c, selected, problems));
    element.replaceChildren(...heads, axis, ...cols);
  };

  function column(c: GridColumn, selected: { list: string; index: number } | null, problems: Map<string, string[]>): HTMLElement {
    const col = h('div', { class: 'wg-col', 'data-col': c.key, 'aria-label': c.label });
    c.periods.forEach((p, index) => {
      const messages = problems.get(`period:${c.key}:${index}`) ?? [];
      const isSelected = selected?.list === c.key && selected.index === index;
      const full = `${p.start}–${p.end} ${t(`ctl.mode.${p.mode}` as MessageKey)}`;
      // A short period has no room for two lines: the mode's abbreviation, the full text in the tooltip.
      const compact = periodLabelStyle(p) === 'compact';
      const label = compact
        ? [h('span', { class: 'wg-short', 'aria-label': full }, t(`ctl.mode.short.${p.mode}` as MessageKey))]
        : [`${p.start}–${p.end}`, h('br'), t(`ctl.mode.${p.mode}` as MessageKey)];
      const block = h('div', {
        class: `wg-period mode-${p.mode}${compact ? ' compact' : ''}${isSelected ? ' selected' : ''}${messages.length ? ' has-problem' : ''}`,
        'data-list': c.key,
        'data-index': index,
        'data-start': p.start,
        'data-end': p.end,
        title: [full, ...messages].join('\n'),
      }, ...label,
      ...messages.map((m) => h('span', { class: 'wg-problem', 'data-problem': '' }, m)));
      place(block, p);
      if (o.editable) {
        block.append(h('div', { class: 'wg-handle top', 'data-edge': 'start' }), h('div', { class: 'wg-handle bottom', 'data-edge': 'end' }));
      }
      col.append(block);
    });
    col.addEventListener('pointerdown', (event) => onPointerDown(event, col, c));
    return col;
  }

  function onPointerDown(event: PointerEvent, col: HTMLElement, c: GridColumn): void {
    if (event.button !== 0) return;
    const target = event.target as HTMLElement;
    const block = target.closest<HTMLElement>('.wg-period');
    const minute = () => minuteAt(event.clientY - col.getBoundingClientRect().top, col.clientHeight);
    if (block && !target.classList.contains('wg-handle')) {
      o.onSelect(c.key, Number(block.dataset.index));
      return;
    }
    if (!o.editable) return;
    event.preventDefault();
    col.setPointerCapture(event.pointerId);
    const at = (e: PointerEvent) => minuteAt(e.clientY - col.getBoundingClientRect().top, col.clientHeight);

    if (block && target.classList.contains('wg-handle')) {
      const index = Number(block.dataset.index);
      const edge = target.dataset.edge === 'start' ? 'start' : 'end';
      let next = c.periods;
      const move = (e: PointerEvent) => {
        next = resizePeriod(c.periods, index, edge, at(e));
        place(block, next[index]);
        block.dataset.start = next[index].start;
        block.dataset.end = next[index].end;
      };
      drag(col, event.pointerId, move, () => o.onChange(c.key, next, index));
      return;
    }

    const from = minute();
    if (periodAt(c.periods, from) >= 0) return;
    const ghost = h('div', { class: 'wg-period ghost' });
    let draft: Period | null = draftPeriod(c.periods, from, from, 'occupied');
    if (draft) place(ghost, draft);
    col.append(ghost);
    const move = (e: PointerEvent) => {
      draft = draftPeriod(c.periods, from, at(e), 'occupied');
      if (draft) place(ghost, draft);
    };
    drag(col, event.pointerId, move, () => {
      ghost.remove();
      if (!draft) return;
      const added = addPeriod(c.periods, draft);
      o.onChange(c.key, added.periods, added.index);
    });
  }

  return { element, render };
}

/** Follows one pointer until it is released (or the capture is lost), then calls `done` once. */
function drag(el: HTMLElement, pointerId: number, move: (e: PointerEvent) => void, done: () => void): void {
  const onMove = (e: PointerEvent) => {
    if (e.pointerId === pointerId) move(e);
  };
  const finish = (e: PointerEvent) => {
    if (e.pointerId !== pointerId) return;
    if (e.type === 'pointerup') move(e);
    el.removeEventListener('pointermove', onMove);
    el.removeEventListener('pointerup', finish);
    el.removeEventListener('pointercancel', finish);
    done();
  };
  el.addEventListener('pointermove', onMove);
  el.addEventListener('pointerup', finish);
  el.addEventListener('pointercancel', finish);
}
