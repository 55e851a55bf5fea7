// The side panel of a room or a device picked in the 3D view: its alarms, its live values with
// quality and age (an old value never looks live), write controls when the role allows, and a
// trend of its analog points.
import type { AlarmView } from '../../../contracts/alarms.js';
import type { PointView } from '../../../contracts/api.js';
import { can } from '../../../contracts/auth.js';
import type { PointState } from '../../../contracts/point.js';
import type { ApiClient } from '../api.js';
import { h, setText } from '../dom.js';
import { describePoint, nextLastKnown, type LastKnown } from '../format.js';
import { getLocale, localized, t, type MessageKey } from '../i18n.js';
import { hrefOf } from '../router.js';
import { PRIORITY_COLOURS, PRIORITY_SHAPES } from '../scene/palette.js';
import { createTrendChart, type TrendChart } from '../trends/trend-chart.js';
import { createWriteControl, type WriteControl } from './write-control.js';
import { inScope, type PointScope } from '../../../contracts/scopes.js';

export interface RoomPanelOptions {
  api: ApiClient;
  token: string;
  permissions: readonly string[];
  /** The role's command scope (SessionInfo.scope): no control on points outside it. */
  scope?: PointScope;
  title: () => string;
  /** `building/floor/room` for the link to the points table. */
  area: [string, string, string];
  points: PointView[];
  alarms: AlarmView[];
  onClose(): void;
}

export interface RoomPanel {
  element: HTMLElement;
  /** Live states (any; the panel picks its own points). */
  update(states: ReadonlyMap<string, PointState>, changed?: Iterable<string>): void;
  setAlarms(alarms: AlarmView[]): void;
  /** The live link went down or came back: dim every value while down. */
  setLive(up: boolean): void;
  relabel(): void;
  dispose(): void;
}

interface Row {
  point: PointView;
  state: PointState | null;
  lastKnown?: LastKnown;
  tr: HTMLTableRowElement;
  value: HTMLElement;
  badge: HTMLElement;
  age: HTMLElement;
  control?: WriteControl;
}

export function createRoomPanel(o: RoomPanelOptions): RoomPanel {
  const heading = h('h2', { class: 'panel-title' });
  const close = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'close-panel' });
  close.addEventListener('click', () => o.onClose());
  const tableLink = h('a', { class: 'panel-link', href: hrefOf('floor', ...o.area) });
  const alarmsHeading = h('h3');
  const alarmList = h('ul', { class: 'panel-alarms' });
  const valuesHeading = h('h3');
  const body = h('tbody');
  const mayWrite = can(o.permissions, 'points:write');
  const rows: Row[] = o.points.map((point) => {
    const value = h('td', { class: 'value' });
    const badge = h('span', { class: 'badge' });
    const age = h('td', { class: 'age' });
    const tr = h('tr', { 'data-point-id': point.id }, h('td', { class: 'name' }), value, h('td', { class: 'quality' }, badge), age);
    const row: Row = { point, state: point.state, tr, value, badge, age, lastKnown: point.state ? nextLastKnown(undefined, point.state) : undefined };
    if (mayWrite && point.writable && inScope(o.scope, point)) {
      row.control = createWriteControl(point, () => ({ state: row.state, shown: row.state?.value ?? row.lastKnown?.value }), o.api);
      tr.append(h('td', { class: 'control' }, row.control.element));
    }
    body.append(tr);
    return row;
  });
  const table = h('table', { class: 'points panel-points' }, body);
  const empty = h('p', { class: 'muted' });
  const analog = o.points.filter((p) => p.kind === 'analog').slice(0, 6);
  const trend: TrendChart | null = analog.length ? createTrendChart(o.token, analog, '1h') : null;
  const element = h('aside', { class: 'room-panel', 'data-area': o.area.join('/') },
    h('header', { class: 'panel-head' }, heading, close),
    tableLink, alarmsHeading, alarmList, valuesHeading, rows.length ? table : empty, ...(trend ? [trend.element] : []));
  let alarms = o.alarms;

  const drawRow = (row: Row, now: number) => {
    const view = describePoint(row.point, row.state, now, getLocale(), row.lastKnown);
    row.tr.className = view.qualityClass;
    setText(row.value, view.valueText);
    setText(row.badge, view.qualityText);
    setText(row.age, view.ageText);
    row.tr.title = view.title;
    row.control?.refresh();
  };
  const drawAlarms = () => {
    alarmsHeading.hidden = alarmList.hidden = alarms.length === 0;
    alarmList.replaceChildren(...alarms.map((a) =>
      h('li', { class: `alarm prio-${a.priority}`, style: `--prio: ${PRIORITY_COLOURS[a.priority]}` },
        h('span', { class: 'prio-shape' }, PRIORITY_SHAPES[a.priority]),
        h('span', { class: 'prio-word' }, t(`prio.${a.priority}` as MessageKey)),
        h('span', { class: 'alarm-message' }, localized(a.message)))));
  };
  const relabel = () => {
    setText(heading, o.title());
    setText(close, t('panel.close'));
    setText(tableLink, t('panel.table'));
    setText(alarmsHeading, t('panel.alarms'));
    setText(valuesHeading, t('panel.values'));
    setText(empty, t('panel.noPoints'));
    for (const row of rows) setText(row.tr.cells[0], localized(row.point.name));
    const now = Date.now();
    for (const row of rows) drawRow(row, now);
    drawAlarms();
    trend?.relabel();
  };
  // Ages move on even when values do not.
  const ageTimer = setInterval(() => {
    const now = Date.now();
    for (const row of rows) if (row.state) setText(row.age, describePoint(row.point, row.state, now, getLocale(), row.lastKnown).ageText);
  }, 1000);
  relabel();

  return {
    element,
    update(states, changed) {
      const now = Date.now();
      const only = changed ? new Set(changed) : null;
      for (const row of rows) {
        if (only && !only.has(row.point.id)) continue;
        const state = states.get(row.point.id);
        if (!state || state === row.state) continue;
        row.state = state;
        row.lastKnown = nextLastKnown(row.lastKnown, state);
        drawRow(row, now);
      }
    },
    setAlarms(next) {
      alarms = next;
      drawAlarms();
    },
    setLive(up) {
      table.classList.toggle('link-down', !up);
      if (up) trend?.reload();
    },
    relabel,
    dispose() {
      clearInterval(ageTimer);
      trend?.dispose();
      element.remove();
    },
  };
}
