// The alarm list (route `/alarms/:building?/:floor?/:room?`): live over the console's one
// Socket.IO link, sorted by priority then time, filters by area and priority, grouping by
// area (automatic while the hub reports a flood) with "acknowledge all in <area>", and the
// actions the role allows: guards acknowledge and comment; supervisors also shelve and take out
// of service. New critical/high alarms beep (mutable per console). This file only draws: state,
// filter and derivations live in alarms-view-model.ts.
import type { AlarmPriority, AlarmView } from '../../../../contracts/alarms.js';
import { ALARM_PRIORITIES } from '../../../../contracts/alarms.js';
import { h, setText } from '../../dom.js';
import { getLocale, localized } from '../../i18n.js';
import type { RouteParams } from '../../router.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { AlarmClient } from './alarm-client.js';
import { AckPopover, ReasonDialog } from './alarm-dialogs.js';
import { areaLabel, maxShelveFromError, shelveChoices, soundsNew } from './alarm-format.js';
import { groupByArea } from './alarm-model.js';
import { AlarmsViewState, areaOfParams, areaOptions, floodKey, learnMaxShelve, maxShelveOf, subjectOf as subjectIn, valueText as wordedValue, waitingCount } from './alarms-view-model.js';
import { testBadge, testBadgeTitle } from './test-badge.js';
import { PrefetchedCameraApi } from './camera-prefetch.js';
import { COLUMN_COUNT, createRow, updateRow, type AlarmRow, type RowContext } from './alarm-rows.js';
import { AlarmSound, type SoundState } from './alarm-sound.js';
import { at } from './alarm-text.js';
import { alarmTabs, paintPriorities } from './alarms-nav.js';
import { CommentThread } from './comment-thread.js';
import { createAlarmVideoPanel, type AlarmVideoPanel } from '../../video/alarm-video.js';
import { AlarmWorkOrders } from './alarm-workorders.js';
import './alarms.css';

export const alarmsView: ViewModule = {
  id: 'alarms',
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView {
    const canAck = ctx.session.permissions.includes('alarms:ack');
    const canShelve = ctx.session.permissions.includes('alarms:shelve');
    const client = new AlarmClient(ctx.session.token);
    // Whoever may see cameras gets the list now: selecting an alarm then starts its camera at once.
    const cameraApi = ctx.session.permissions.includes('cameras:view') ? new PrefetchedCameraApi(() => ctx.session.token) : undefined;
    cameraApi?.prefetch();
    const vm = new AlarmsViewState(params);
    const { list, filter } = vm;
    let destroyed = false;

    const tabs = alarmTabs('list');
    const title = h('h2', { class: 'alarms-title' });
    const summary = h('span', { class: 'alarms-summary' });
    const soundButton = h('button', { type: 'button', class: 'btn ghost alarms-sound' });
    const flood = h('div', { class: 'alarms-flood', role: 'alert', hidden: true });
    const linkNote = h('div', { class: 'alarms-link-down', hidden: true });
    const status = h('div', { class: 'alarms-status', 'aria-live': 'polite' });
    const areaSelect = h('select', { class: 'alarms-area', onchange: () => { vm.setArea(areaSelect.value); draw(); } });
    const prioritySelect = h('select', { class: 'alarms-priority', onchange: () => { vm.setPriority(prioritySelect.value); draw(); } });
    const hiddenBox = h('input', { type: 'checkbox', class: 'alarms-hidden', onchange: () => { vm.setShowHidden(hiddenBox.checked); draw(); } });
    const hiddenLabel = h('span');
    const groupBox = h('input', { type: 'checkbox', class: 'alarms-group', onchange: () => { vm.setGrouped(groupBox.checked); draw(); } });
    const groupLabel = h('span');
    const head = h('tr');
    const thead = h('thead', {}, head);
    const table = h('table', { class: 'alarms' }, thead);
    // Selecting an alarm (a click anywhere on its row but its buttons and links) opens its detail:
    // the nearest camera live, the snapshot/clip, the notes. Acknowledge stays 2 clicks from the list.
    table.addEventListener('click', (event) => {
      const target = event.target as HTMLElement;
      if (target.closest('button, a, input, select, textarea, .alarm-thread-row')) return;
      const id = target.closest<HTMLElement>('tr[data-alarm-id]')?.dataset.alarmId;
      if (id) toggleNotes(id);
    });
    const empty = h('p', { class: 'alarms-empty' });
    const popover = new AckPopover();
    const dialog = new ReasonDialog();
    const sound = new AlarmSound();
    container.replaceChildren(
      paintPriorities(h('section', { class: 'alarms-view alarm-page' },
        tabs.element,
        h('header', { class: 'alarms-head' }, title, summary, soundButton),
        flood, linkNote,
        h('div', { class: 'alarms-filters' }, areaSelect, prioritySelect, h('label', {}, hiddenBox, hiddenLabel), h('label', {}, groupBox, groupLabel)),
        status, table, empty, dialog.element)),
    );

    const report = async (f: () => Promise<unknown>) => {
      setText(status, '');
      try {
        await f();
      } catch (err) {
        setText(status, at('failed', { message: (err as Error).message }));
      }
    };
    const subjectOf = (a: AlarmView) => subjectIn(ctx.site, a, getLocale());

    // ---- rows, keyed by alarm id; notes rows beside them ----
    const rows = new Map<string, AlarmRow>();
    // An opened alarm shows its notes and, beside them, the snapshot/clip taken for it and the
    // live view of the nearest camera.
    const threads = new Map<string, { tr: HTMLTableRowElement; thread: CommentThread; video?: AlarmVideoPanel; orders?: AlarmWorkOrders }>();
    const closeDetail = (id: string) => {
      const t = threads.get(id);
      t?.thread.destroy();
      t?.video?.destroy();
      t?.orders?.destroy();
      threads.delete(id);
    };
    const groupBodies = new Map<string, { tbody: HTMLTableSectionElement; header: HTMLTableRowElement; label: HTMLElement; ackAll: HTMLButtonElement }>();

    const rowCtx: RowContext = {
      site: ctx.site,
      canAck,
      canShelve,
      actions: {
        ack: (anchor, a) => popover.open(anchor, { title: at(a.state === 'latched' ? 'reset.title' : 'ack.title'), confirmLabel: at(a.state === 'latched' ? 'reset' : 'ack'), run: (comment) => client.ack(a.id, comment) }),
        notes: (a) => toggleNotes(a.id),
        shelve: (a) => dialog.open({
          title: at('shelve.title'),
          subject: subjectOf(a),
          confirmLabel: at('shelve.confirm'),
          durations: shelveChoices(maxShelveOf(a)),
          run: (reason, minutes) => client.shelve(a.id, minutes!, reason),
          narrow: (err) => {
            const max = maxShelveFromError(err.message);
            if (max === undefined) return undefined;
            learnMaxShelve(a.id, max);
            return shelveChoices(max);
          },
        }),
        unshelve: (a) => void report(() => client.unshelve(a.id)),
        outOfService: (a) => dialog.open({ title: at('oos.title'), subject: subjectOf(a), confirmLabel: at('oos.confirm'), run: (reason) => client.outOfService(a.id, reason) }),
        returnToService: (a) => void report(() => client.returnToService(a.id)),
      },
    };

    const toggleNotes = (id: string) => {
      const row = rows.get(id);
      if (!row) return;
      row.notesOpen = !row.notesOpen;
      if (row.notesOpen) {
        const thread = new CommentThread(id, client, canAck);
        const alarm = list.get(id);
        const video = alarm && ctx.session.permissions.includes('cameras:view') ? createAlarmVideoPanel(alarm, { session: ctx.session, api: cameraApi }) : undefined;
        // The camera first: what the guard needs to see is in front; the notes beside it.
        // Its work orders (issue 14) beside the notes, for whoever may see work orders.
        const orders = ctx.session.permissions.includes('workorders:create') ? new AlarmWorkOrders(id, { baseUrl: '', token: () => ctx.session.token }, true) : undefined;
        // A drill says so above its camera, so nobody dispatches for it.
        const drill = alarm?.test ? h('p', { class: 'alarm-detail-test' }, testBadge(alarm.test), ` ${testBadgeTitle(alarm.test)}`) : null;
        const cell = h('td', { colspan: COLUMN_COUNT }, h('div', { class: 'alarm-detail' }, drill, ...(video ? [video.el] : []), thread.element, ...(orders ? [orders.element] : [])));
        threads.set(id, { tr: h('tr', { class: 'alarm-thread-row', 'data-thread-of': id }, cell), thread, video, orders });
      } else {
        closeDetail(id);
      }
      draw();
    };

    const valueText = (a: AlarmView): string => wordedValue(a, getLocale(), (id) => client.point(id), () => { vm.forceRows = true; draw(); });

    const groupBody = (area: string) => {
      let g = groupBodies.get(area);
      if (!g) {
        const label = h('span', { class: 'group-label' });
        const ackAll = h('button', { type: 'button', class: 'btn alarms-ack-area', hidden: !canAck });
        ackAll.addEventListener('click', () => popover.open(ackAll, {
          title: at('ackArea.title', { area: areaLabel(ctx.site, area, getLocale()).name }),
          confirmLabel: at('ack'),
          run: (comment) => client.ackArea(area, comment),
        }));
        const header = h('tr', { class: 'alarm-group', 'data-area': area }, h('th', { colspan: COLUMN_COUNT, scope: 'rowgroup' }, label, h('span', { class: 'ack-area-box' }, ackAll)));
        g = { tbody: h('tbody', { 'data-area': area }), header, label, ackAll };
        groupBodies.set(area, g);
      }
      return g;
    };
    const flatBody = h('tbody');

    /** Puts `desired` as the children of `parent`, moving only what is out of place (keeps focus). */
    const syncChildren = (parent: Element, desired: Element[]) => {
      desired.forEach((el, i) => {
        if (parent.children[i] !== el) parent.insertBefore(el, parent.children[i] ?? null);
      });
      while (parent.children.length > desired.length) parent.lastElementChild!.remove();
    };

    let frame = 0;
    const draw = () => {
      if (frame || destroyed) return;
      frame = requestAnimationFrame(render);
    };
    const render = () => {
      frame = 0;
      const now = Date.now();
      const visible = list.visible(filter);
      const s = list.summary;
      const grouped = vm.grouped();
      groupBox.checked = grouped;
      const force = vm.takeForce();
      const seen = new Set<string>();
      const rowsOf = (alarms: AlarmView[]) => alarms.flatMap((a) => {
        seen.add(a.id);
        let row = rows.get(a.id);
        if (!row) rows.set(a.id, (row = createRow(a.id)));
        updateRow(row, a, list.ageMs(a, now), valueText(a), rowCtx, force);
        const thread = threads.get(a.id);
        return thread ? [row.tr, thread.tr] : [row.tr];
      });
      if (grouped) {
        const bodies = groupByArea(visible).map((g) => {
          const body = groupBody(g.area);
          const where = areaLabel(ctx.site, g.area, getLocale());
          setText(body.label, `${where.name}${where.where ? ` · ${where.where}` : ''} (${g.alarms.length})`);
          setText(body.ackAll, at('ackArea', { area: where.name, n: g.pendingAck }));
          body.ackAll.disabled = g.pendingAck === 0;
          syncChildren(body.tbody, [body.header, ...rowsOf(g.alarms)]);
          return body.tbody;
        });
        syncChildren(table, [thead, ...bodies]);
      } else {
        syncChildren(flatBody, rowsOf(visible));
        syncChildren(table, [thead, flatBody]);
      }
      for (const [id, row] of rows) {
        if (seen.has(id)) continue;
        if (popover.anchoredTo && row.tr.contains(popover.anchoredTo)) popover.close();
        rows.delete(id);
        closeDetail(id);
      }
      if (popover.anchoredTo && !popover.anchoredTo.isConnected) popover.close();
      empty.hidden = visible.length > 0;
      setText(summary, at('summary', { n: waitingCount(s) }));
      drawFlood();
    };

    const drawFlood = () => {
      const s = list.summary;
      flood.hidden = !s?.flood;
      if (!s?.flood) return;
      const key = floodKey(getLocale(), s);
      if (flood.dataset.key === key) return;
      flood.dataset.key = key;
      flood.replaceChildren(
        h('strong', {}, at('flood', { n: s.recentCount })),
        h('span', { class: 'flood-hint' }, at('flood.hint')),
        ...s.floodGroups.slice(0, 8).map((g) =>
          h('button', { type: 'button', class: 'btn flood-group', 'data-area': g.area, onclick: () => { vm.setArea(g.area); areaSelect.value = g.area; draw(); } },
            `${areaLabel(ctx.site, g.area, getLocale()).name} (${g.count})`)),
      );
    };

    // The top-bar banner (when the shell has one) rings for new alarms on every page: then this
    // view does not ring too, and its button only offers to unlock audio the browser still blocks.
    const bannerRings = () => document.querySelector('[data-action="alarm-sound"]') !== null;
    const drawSound = (state: SoundState) => {
      setText(soundButton, at(`sound.${state}`));
      soundButton.className = `btn ghost alarms-sound sound-${state}`;
      soundButton.disabled = state === 'unsupported';
      soundButton.hidden = bannerRings() && state !== 'blocked';
      soundButton.title = at('sound.title');
    };
    soundButton.addEventListener('click', () => sound.setMuted(sound.state === 'on'));
    const ring = (priorities: AlarmPriority[]) => {
      if (!bannerRings()) sound.play(priorities);
    };
    const stopSound = sound.onChange(drawSound);

    const relabel = () => {
      tabs.relabel();
      setText(title, at('title'));
      setText(empty, at('empty'));
      setText(linkNote, at('link.down'));
      setText(hiddenLabel, at('filter.hidden'));
      setText(groupLabel, at('filter.group'));
      head.replaceChildren(...(['col.priority', 'col.state', 'col.area', 'col.message', 'col.value', 'col.age', 'col.actions'] as const).map((k) => h('th', { scope: 'col' }, at(k))));
      areaSelect.replaceChildren(...areaOptions(ctx.site, at('filter.everywhere')).map(([value, label]) => h('option', { value }, label)));
      areaSelect.value = filter.area;
      prioritySelect.replaceChildren(h('option', { value: '' }, `${at('filter.priority')}: ${at('filter.all')}`), ...ALARM_PRIORITIES.map((p) => h('option', { value: p }, at(`priority.${p}`))));
      prioritySelect.value = filter.priorities[0] ?? '';
      for (const t of threads.values()) {
        t.thread.relabel();
        t.video?.relabel();
        t.orders?.relabel();
      }
      drawSound(sound.state);
      flood.dataset.key = '';
      vm.forceRows = true;
      draw();
    };
    relabel();

    let hadSnapshot = false;
    const stopWatching = ctx.live.watchAlarms({
      onSnapshot: (alarms, s) => {
        // After a reconnect, alarms raised meanwhile still deserve the sound; the first list does not.
        if (hadSnapshot) ring(alarms.filter((a) => soundsNew(list.get(a.id), a)).map((a) => a.priority));
        hadSnapshot = true;
        list.reset(alarms, s, Date.now());
        setText(status, '');
        draw();
      },
      onUpdate: (u) => {
        ring(u.changed.filter((a) => soundsNew(list.get(a.id), a)).map((a) => a.priority));
        list.apply(u.changed, u.summary, Date.now());
        draw();
      },
      onError: (message) => setText(status, at('failed', { message })),
    });
    const ageTimer = setInterval(draw, 1000);

    return {
      update(p) {
        vm.setArea(areaOfParams(p));
        areaSelect.value = filter.area;
        draw();
        return true;
      },
      relabel,
      setLinkState(state) {
        linkNote.hidden = state === 'live' || state === 'connecting';
        table.classList.toggle('link-down', !linkNote.hidden);
      },
      unmount() {
        destroyed = true;
        clearInterval(ageTimer);
        if (frame) cancelAnimationFrame(frame);
        stopWatching();
        stopSound();
        sound.destroy();
        popover.close();
        dialog.close();
        for (const id of [...threads.keys()]) closeDetail(id);
      },
    };
  },
};

// The other alarm pages, registered beside the list in app.ts (specific routes first).
export { journalView } from './journal-view.js';
export { kpiView } from './kpi-view.js';
