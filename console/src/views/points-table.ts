// The live table of a floor's points. Updates are queued and applied once per animation
// frame, touching only the cells whose text or class changed; ages tick once a second.
import type { PointView, RoomNode } from '../../../contracts/api.js';
import type { PointState } from '../../../contracts/point.js';
import type { ApiClient } from '../api.js';
import { h, setAttr, setClass, setText } from '../dom.js';
import { describePoint, nextLastKnown, type LastKnown } from '../format.js';
import { getLocale, localized, t, type MessageKey } from '../i18n.js';
import { createWriteControl, type WriteControl } from './write-control.js';
import { inScope, type PointScope } from '../../../contracts/scopes.js';

interface Row {
  point: PointView;
  state: PointState | null;
  /** Last trustworthy value, shown struck through while the point is in an outage. */
  lastKnown?: LastKnown;
  tr: HTMLTableRowElement;
  name: HTMLElement;
  value: HTMLElement;
  badge: HTMLElement;
  age: HTMLElement;
  control?: WriteControl;
}

export interface PointsTableOptions {
  /** Show write controls on writable points (the role has points:write). */
  canWrite: boolean;
  /** The role's command scope: writable points outside it get no control (the hub would refuse). */
  scope?: PointScope;
  api: ApiClient;
  /** Rooms of the floor, in site order: points are grouped under a heading row per room. */
  rooms: RoomNode[];
}

/** Points grouped by room (4th id segment), rooms in site order, unknown rooms last. Pure. */
export function groupByRoom(points: PointView[], rooms: Pick<RoomNode, 'id'>[]): Array<{ room: string; points: PointView[] }> {
  const groups = new Map<string, PointView[]>();
  for (const room of rooms) groups.set(room.id, []);
  for (const point of points) {
    const room = point.id.split('/')[3];
    if (!groups.has(room)) groups.set(room, []);
    groups.get(room)!.push(point);
  }
  return [...groups].filter(([, list]) => list.length > 0).map(([room, list]) => ({ room, points: list }));
}

const COLUMNS: MessageKey[] = ['col.point', 'col.value', 'col.quality', 'col.age'];

export class PointsTable {
  readonly element: HTMLTableElement;
  private readonly rows = new Map<string, Row>();
  private readonly pending = new Map<string, PointState>();
  private readonly headCells: Array<{ th: HTMLElement; key: MessageKey }> = [];
  private readonly roomHeads: Array<{ tr: HTMLTableRowElement; cell: HTMLElement; room: string }> = [];
  private frame = 0;
  private readonly ageTimer: ReturnType<typeof setInterval>;

  constructor(points: PointView[], private readonly options: PointsTableOptions) {
    const columns = options.canWrite ? [...COLUMNS, 'col.control' as MessageKey] : COLUMNS;
    const headRow = h('tr');
    for (const key of columns) {
      const th = h('th', { scope: 'col', class: key.replace('col.', 'c-') });
      this.headCells.push({ th, key });
      headRow.append(th);
    }
    const body = h('tbody');
    for (const group of groupByRoom(points, options.rooms)) {
      const cell = h('th', { colspan: columns.length, scope: 'rowgroup' });
      const tr = h('tr', { class: 'room-head', 'data-room': group.room }, cell);
      this.roomHeads.push({ tr, cell, room: group.room });
      body.append(tr);
      for (const point of group.points) body.append(this.createRow(point));
    }
    this.element = h('table', { class: 'points' }, h('thead', {}, headRow), body);
    this.relabel();
    this.ageTimer = setInterval(() => this.tickAges(), 1000);
  }

  private createRow(point: PointView): HTMLTableRowElement {
    const name = h('div', { class: 'pname' });
    const value = h('td', { class: 'value' });
    const badge = h('span', { class: 'badge' });
    const age = h('td', { class: 'age' });
    const tr = h(
      'tr',
      { 'data-point-id': point.id, 'data-kind': point.kind },
      h('td', { class: 'name' }, name, h('div', { class: 'pid' }, point.id)),
      value,
      h('td', { class: 'quality' }, badge),
      age,
    );
    const row: Row = { point, state: point.state, lastKnown: point.state ? nextLastKnown(undefined, point.state) : undefined, tr, name, value, badge, age };
    if (this.options.canWrite) {
      const cell = h('td', { class: 'control' });
      if (point.writable && inScope(this.options.scope, point)) {
        row.control = createWriteControl(point, () => ({ state: row.state, shown: row.state?.value ?? row.lastKnown?.value }), this.options.api);
        cell.append(row.control.element);
      }
      tr.append(cell);
    }
    this.rows.set(point.id, row);
    return tr;
  }

  /** Queue states (snapshot or update); they are drawn on the next animation frame. */
  apply(states: PointState[]): void {
    for (const state of states) {
      if (this.rows.has(state.id)) this.pending.set(state.id, state);
    }
    if (this.pending.size && !this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    for (const [id, state] of this.pending) {
      const row = this.rows.get(id);
      if (!row) continue;
      // Out-of-order delivery (snapshot racing an update) must not roll a value back.
      if (row.state && state.readTs < row.state.readTs) continue;
      row.state = state;
      row.lastKnown = nextLastKnown(row.lastKnown, state);
      this.drawRow(row, Date.now());
      row.control?.refresh();
    }
    this.pending.clear();
  }

  private drawRow(row: Row, now: number): void {
    const view = describePoint(row.point, row.state, now, getLocale(), row.lastKnown);
    setClass(row.tr, view.qualityClass);
    setText(row.value, view.valueText);
    setText(row.badge, view.qualityText);
    setAttr(row.tr, 'title', view.title);
    setAttr(row.value, 'title', view.title);
    setText(row.age, view.ageText);
  }

  private tickAges(): void {
    const now = Date.now();
    const locale = getLocale();
    for (const row of this.rows.values()) {
      if (row.state) setText(row.age, describePoint(row.point, row.state, now, locale, row.lastKnown).ageText);
    }
  }

  /** Show only one room's points, or all with null. Returns how many are visible. */
  filterRoom(roomId: string | null): number {
    let visible = 0;
    for (const row of this.rows.values()) {
      const show = roomId === null || row.point.id.split('/')[3] === roomId;
      row.tr.hidden = !show;
      if (show) visible++;
    }
    for (const head of this.roomHeads) head.tr.hidden = roomId !== null && head.room !== roomId;
    return visible;
  }

  /** While the live link is down every value is dimmed: nothing on screen is known to be live. */
  setLive(live: boolean): void {
    this.element.classList.toggle('link-down', !live);
  }

  relabel(): void {
    for (const { th, key } of this.headCells) setText(th, t(key));
    for (const head of this.roomHeads) {
      const room = this.options.rooms.find((r) => r.id === head.room);
      setText(head.cell, room ? localized(room.name) : head.room);
    }
    const now = Date.now();
    for (const row of this.rows.values()) {
      setText(row.name, localized(row.point.name));
      this.drawRow(row, now);
      row.control?.refresh();
    }
  }

  destroy(): void {
    clearInterval(this.ageTimer);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending.clear();
  }
}
