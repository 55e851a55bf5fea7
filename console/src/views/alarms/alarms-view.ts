// The alarm list view (route `/alarms/:building?/:floor?/:room?`): live list from the hub,
// filters by area and priority, flood banner grouped by area, and the operator actions the
// role allows (guards acknowledge and comment; supervisors also shelve and take out of service).
import type { AlarmPriority, AlarmView } from '../../../../contracts/alarms.js';
import { ALARM_PRIORITIES } from '../../../../contracts/alarms.js';
import type { SiteTree } from '../../../../contracts/api.js';
import { h, setText } from '../../dom.js';
import { formatAge } from '../../format.js';
import { formatDateTime, getLocale, localized } from '../../i18n.js';
import type { RouteParams } from '../../router.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { AlarmClient } from './alarm-client.js';
import { AlarmList, needsAck, type AlarmListFilter } from './alarm-model.js';
import { at } from './alarm-text.js';
import './alarms.css';

function areaOfParams(p: RouteParams): string {
  return [p.building, p.floor, p.room].filter(Boolean).join('/');
}

/** Area choices from the site tree: buildings, floors, rooms (`a`, `a/l03`, `a/l03/archive-303`). */
function areaOptions(site: SiteTree): Array<{ value: string; label: string }> {
  const out: Array<{ value: string; label: string }> = [];
  for (const b of site.buildings) {
    out.push({ value: b.id, label: localized(b.name) });
    for (const f of b.floors) {
      out.push({ value: `${b.id}/${f.id}`, label: `${localized(b.name)} · ${localized(f.name)}` });
      for (const r of f.rooms) out.push({ value: `${b.id}/${f.id}/${r.id}`, label: `  ${localized(f.name)} · ${localized(r.name)}` });
    }
  }
  return out;
}

function formatAlarmValue(a: AlarmView): string {
  if (a.value === null) return '—';
  const v = typeof a.value === 'number' ? String(Math.round(a.value * 100) / 100) : String(a.value);
  return a.unit ? `${v} ${a.unit}` : v;
}

export const alarmsView: ViewModule = {
  id: 'alarms',
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView {
    const canAck = ctx.session.permissions.includes('alarms:ack');
    const canShelve = ctx.session.permissions.includes('alarms:shelve');
    const client = new AlarmClient(ctx.session.token);
    const list = new AlarmList();
    const filter: AlarmListFilter = { area: areaOfParams(params), priorities: [], showHidden: false };

    const title = h('h2', { class: 'alarms-title' });
    const summary = h('span', { class: 'alarms-summary' });
    const flood = h('div', { class: 'alarms-flood', role: 'alert', hidden: true });
    const linkNote = h('div', { class: 'alarms-link-down', hidden: true });
    const status = h('div', { class: 'alarms-status', 'aria-live': 'polite' });
    const areaSelect = h('select', { class: 'alarms-area', onchange: () => { filter.area = areaSelect.value; draw(); } });
    const prioritySelect = h('select', { class: 'alarms-priority', onchange: () => { filter.priorities = prioritySelect.value ? [prioritySelect.value as AlarmPriority] : []; draw(); } });
    const hiddenBox = h('input', { type: 'checkbox', class: 'alarms-hidden', onchange: () => { filter.showHidden = hiddenBox.checked; draw(); } });
    const hiddenLabel = h('span');
    const ackAll = h('button', { type: 'button', class: 'alarms-ack-all', hidden: !canAck, onclick: () => void act(() => client.ackArea(filter.area || ctx.site.buildings[0].id)) });
    const head = h('tr');
    const body = h('tbody');
    const empty = h('p', { class: 'alarms-empty' });
    const table = h('table', { class: 'alarms' }, h('thead', {}, head), body);
    container.replaceChildren(
      h('section', { class: 'alarms-view' },
        h('header', { class: 'alarms-head' }, title, summary),
        flood, linkNote,
        h('div', { class: 'alarms-filters' }, areaSelect, prioritySelect, h('label', {}, hiddenBox, hiddenLabel), ackAll),
        status, table, empty),
    );

    const act = async (f: () => Promise<unknown>) => {
      setText(status, '');
      try {
        await f();
      } catch (err) {
        setText(status, at('failed', { message: (err as Error).message }));
      }
    };

    const actionButtons = (a: AlarmView): HTMLElement => {
      const cell = h('td', { class: 'alarm-actions' });
      const button = (label: string, cls: string, f: () => Promise<unknown> | undefined) =>
        cell.append(h('button', { type: 'button', class: cls, onclick: () => { const p = f(); if (p) void act(() => p); } }, label));
      if (canAck && needsAck(a.state)) button(at('ack'), 'alarm-ack', () => client.ack(a.id, window.prompt(at('prompt.comment')) || undefined));
      if (canAck) button(at('comment'), 'alarm-comment', () => { const text = window.prompt(at('prompt.text')); return text ? client.comment(a.id, text) : undefined; });
      if (canShelve && a.state === 'shelved') button(at('unshelve'), 'alarm-unshelve', () => client.unshelve(a.id));
      else if (canShelve && a.state !== 'out_of_service') {
        button(at('shelve'), 'alarm-shelve', () => {
          const minutes = Number(window.prompt(at('prompt.duration'), '60'));
          const reason = window.prompt(at('prompt.reason'));
          return reason ? client.shelve(a.id, minutes, reason) : undefined;
        });
      }
      if (canShelve && a.state === 'out_of_service') button(at('rts'), 'alarm-rts', () => client.returnToService(a.id));
      else if (canShelve) button(at('oos'), 'alarm-oos', () => { const reason = window.prompt(at('prompt.reason')); return reason ? client.outOfService(a.id, reason) : undefined; });
      return cell;
    };

    const row = (a: AlarmView, now: number): HTMLTableRowElement =>
      h('tr', { class: `alarm p-${a.priority} s-${a.state}${a.escalated ? ' escalated' : ''}`, 'data-alarm-id': a.id },
        h('td', { class: 'alarm-priority' }, at(`priority.${a.priority}`)),
        h('td', { class: 'alarm-state' }, at(`state.${a.state}`), a.escalated ? h('span', { class: 'alarm-escalated' }, ` · ${at('escalated')}`) : null),
        h('td', { class: 'alarm-time' }, a.activeSince !== null ? formatDateTime(a.activeSince) : formatDateTime(a.lastChange)),
        h('td', { class: 'alarm-area' }, a.area),
        h('td', { class: 'alarm-message' }, localized(a.message)),
        h('td', { class: `alarm-value q-${a.quality ?? 'none'}` }, formatAlarmValue(a)),
        h('td', { class: 'alarm-age' }, formatAge(list.ageMs(a, now), getLocale())),
        actionButtons(a));

    let frame = 0;
    const draw = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const now = Date.now();
        const visible = list.visible(filter);
        body.replaceChildren(...visible.map((a) => row(a, now)));
        empty.hidden = visible.length > 0;
        const s = list.summary;
        const waiting = s ? s.unacked.critical + s.unacked.high + s.unacked.medium + s.unacked.low : 0;
        setText(summary, at('summary', { n: waiting }));
        flood.hidden = !s?.flood;
        if (s?.flood) {
          flood.replaceChildren(
            h('strong', {}, at('flood', { n: s.recentCount })),
            ...s.floodGroups.map((g) => h('button', { type: 'button', class: 'flood-group', onclick: () => { filter.area = g.area; areaSelect.value = g.area; draw(); } }, `${g.area} (${g.count})`)),
          );
        }
        setText(ackAll, at('ackAll', { n: list.pendingAck(filter) }));
        ackAll.toggleAttribute('disabled', list.pendingAck(filter) === 0);
      });
    };

    const relabel = () => {
      setText(title, at('title'));
      setText(empty, at('empty'));
      setText(linkNote, at('link.down'));
      setText(hiddenLabel, at('filter.hidden'));
      head.replaceChildren(...(['col.priority', 'col.state', 'col.time', 'col.area', 'col.message', 'col.value', 'col.age', 'col.actions'] as const).map((k) => h('th', { scope: 'col' }, at(k))));
      areaSelect.replaceChildren(h('option', { value: '' }, at('filter.everywhere')), ...areaOptions(ctx.site).map((o) => h('option', { value: o.value }, o.label)));
      areaSelect.value = filter.area;
      prioritySelect.replaceChildren(h('option', { value: '' }, `${at('filter.priority')}: ${at('filter.all')}`), ...ALARM_PRIORITIES.map((p) => h('option', { value: p }, at(`priority.${p}`))));
      prioritySelect.value = filter.priorities[0] ?? '';
      draw();
    };
    relabel();

    client.subscribe({
      onSnapshot: (ack) => { list.reset(ack.alarms, ack.summary, Date.now()); draw(); },
      onUpdate: (u) => { list.apply(u.changed, u.summary, Date.now()); draw(); },
      onLink: (up) => { linkNote.hidden = up; },
    });
    const ageTimer = setInterval(draw, 1000);

    return {
      update(p) {
        filter.area = areaOfParams(p);
        areaSelect.value = filter.area;
        draw();
        return true;
      },
      relabel,
      unmount() {
        clearInterval(ageTimer);
        if (frame) cancelAnimationFrame(frame);
        client.close();
      },
    };
  },
};
