// #/control/schedules — the HVAC schedule editor: a week grid per schedule (zone groups), setpoint
// and fan per mode, the holiday/exception calendar, a preview of any day before saving, a save
// that checks the version (409 → someone else saved: reload), and the version history.
// Without `schedules:edit` everything is shown read-only. This file only draws: state and actions
// live in schedule-editor.ts (the view-model).
import { can } from '../../../../contracts/auth.js';
import { h } from '../../dom.js';
import { formatNumber, localized, t, type MessageKey } from '../../i18n.js';
import type { ViewModule } from '../view.js';
import { WEEK_DAYS, type Mode, type Schedule } from './control-api.js';
import { present, clientOf, formatTime, renderTabs, scheduleVersionText } from './control-common.js';
import { createCalendarPanel } from './schedule-calendar.js';
import { createPreviewPanel } from './schedule-preview.js';
import { createWeekGrid, type GridColumn } from './week-grid.js';
import { groupProblems } from './week-model.js';
import { MODES, ScheduleEditor, dayLabel, modeLimits, problemLines, type Status } from './schedule-editor.js';
import './control.css';

export const schedulesView: ViewModule = {
  id: 'control-schedules',
  mount(container, _params, ctx) {
    const client = clientOf(ctx);
    const editable = can(ctx.session.permissions, 'schedules:edit');
    const vm = new ScheduleEditor(client, () => draw());
    const schedule = () => vm.schedule();
    const listOf = (key: string) => vm.listOf(key);
    const load = (message?: Status) => vm.load(message);
    const save = async (note: string) => {
      if (await vm.save(note)) comment.value = '';
    };

    const grid = createWeekGrid({
      editable,
      onChange: (list, periods, select) => vm.gridChanged(list, periods, select),
      onSelect: (list, index) => vm.select(list, index),
    });
    const calendar = createCalendarPanel({
      client,
      onChange: (exceptions) => vm.setExceptions(exceptions),
    });
    const preview = createPreviewPanel({
      client,
      doc: () => vm.draft,
      scheduleId: () => schedule()?.id ?? null,
      // Zones are rooms: show the room's name (with its floor), not `office-201`.
      zoneName(zone) {
        for (const b of ctx.site.buildings) for (const f of b.floors) {
          const room = f.rooms.find((r) => r.id === zone);
          if (room) return `${localized(room.name)} · ${localized(f.name)}`;
        }
        return zone;
      },
      onProblems: (list) => vm.setProblems(list),
    });

    const tabs = h('div');
    const head = h('div');
    const body = h('div');
    const bottom = h('div');
    container.replaceChildren(h('div', { class: 'ctl-page', 'data-view': 'control-schedules' }, tabs, head, body, preview.element, calendar.element, bottom));
    if (!editable) preview.element.hidden = true;

    function draw() {
      tabs.replaceChildren(renderTabs(ctx.session, 'schedules'));
      const s = schedule();
      const grouped = groupProblems(vm.problems, vm.scheduleIndex);
      head.replaceChildren(...present(
        h('div', { class: 'ctl-head' },
          h('h2', { class: 'ctl-title' }, t('ctl.sch.title')),
          vm.loaded ? h('span', { class: 'ctl-sub', 'data-testid': 'schedule-version', 'data-version': vm.loaded.version },
            scheduleVersionText(vm.loaded)) : null,
          vm.dirty ? h('span', { class: 'ctl-status warn' }, t('ctl.sch.unsaved')) : null),
        editable ? null : h('p', { class: 'ctl-notice', 'data-testid': 'read-only' }, t('ctl.sch.readOnly')),
        vm.conflict ? conflictBanner(vm.conflict) : null,
        h('div', { class: `ctl-status ${vm.status.kind}`, role: 'status', 'data-testid': 'schedule-status' }, vm.status.text())));
      if (!s) {
        body.replaceChildren(vm.loaded ? h('p', { class: 'ctl-muted' }, t('ctl.sch.none')) : h('span'));
        bottom.replaceChildren(versionsTable());
        calendar.render(null, false, grouped);
        return;
      }
      const picker = h('select', { 'data-field': 'schedule', 'aria-label': t('ctl.sch.schedule') },
        ...vm.draft.schedules.map((x, i) => h('option', { value: i, selected: i === vm.scheduleIndex }, `${localized(x.name)} (${x.groups.map(groupName).join(', ')})`)));
      picker.addEventListener('change', () => vm.pickSchedule(Number(picker.value)));
      const columns: GridColumn[] = [...WEEK_DAYS.map((d) => ({ key: d, label: t(`ctl.day.${d}` as MessageKey), periods: s.week[d] })), { key: 'holiday', label: t('ctl.day.holiday'), periods: s.holiday }];
      grid.render(columns, vm.selected, grouped);
      // Every period problem is also listed in words under the grid: a short block clips its text.
      const unplaced = problemLines(grouped, listOf, vm.problems, vm.draft.schedules.length);
      body.replaceChildren(
...present(        h('div', { class: 'ctl-row' }, h('label', {}, t('ctl.sch.schedule'), picker)),
        h('div', { class: 'ctl-split' },
          h('div', {},
            h('div', { class: 'wg-legend' }, ...MODES.map((m) => h('span', {}, h('span', { class: `wg-swatch mode-${m}` }), t(`ctl.mode.${m}` as MessageKey))),
              editable ? h('span', {}, t('ctl.sch.dragHint')) : null),
            grid.element,
            ...unplaced.map((m) => h('p', { class: 'ctl-problem', 'data-problem': '' }, m))),
          h('div', {}, periodEditor(grouped), modesEditor(grouped))),
        editable ? saveBar() : null));
      calendar.render(s, editable, grouped);
      bottom.replaceChildren(versionsTable());
    }

    const groupName = (id: string) => localized(vm.loaded?.groups.find((g) => g.id === id)?.name) || id;

    function conflictBanner(message: string): HTMLElement {
      const reload = h('button', { type: 'button', class: 'btn primary', 'data-action': 'reload' }, t('ctl.sch.reload'));
      reload.addEventListener('click', () => void load({ kind: '', text: () => t('ctl.sch.reloaded') }));
      return h('div', { class: 'ctl-conflict', role: 'alert', 'data-testid': 'conflict' }, h('span', {}, t('ctl.sch.conflict')), h('span', { class: 'ctl-muted' }, message), reload);
    }

    function periodEditor(grouped: Map<string, string[]>): HTMLElement {
      const card = h('div', { class: 'ctl-card', 'data-testid': 'period-editor' });
      const p = vm.selected ? listOf(vm.selected.list)[vm.selected.index] : undefined;
      if (!vm.selected || !p) {
        card.append(h('h4', {}, t('ctl.sch.period')), h('p', { class: 'ctl-muted' }, t(editable ? 'ctl.sch.pickOrDrag' : 'ctl.sch.pick')));
        return card;
      }
      const sel = vm.selected;
      const timeInput = (field: 'start' | 'end') => {
        const input = h('input', { type: 'text', inputmode: 'numeric', maxlength: 5, value: p[field], 'data-field': `period-${field}`, disabled: !editable, pattern: '[0-2][0-9]:[0-5][0-9]' });
        input.addEventListener('change', () => {
          if (!vm.setTime(field, input.value)) input.setCustomValidity(t('ctl.sch.timeFormat'));
          input.reportValidity();
        });
        return input;
      };
      const mode = h('select', { 'data-field': 'period-mode', disabled: !editable }, ...MODES.map((m) => h('option', { value: m, selected: m === p.mode }, t(`ctl.mode.${m}` as MessageKey))));
      mode.addEventListener('change', () => vm.setMode(mode.value as Mode));
      const remove = h('button', { type: 'button', class: 'btn', 'data-action': 'remove-period', disabled: !editable }, t('ctl.remove'));
      remove.addEventListener('click', () => vm.updateSelected(null));
      card.append(
...present(        h('h4', {}, `${t('ctl.sch.period')} · ${dayLabel(sel.list)}`),
        h('label', {}, t('ctl.from'), timeInput('start')),
        h('label', {}, t('ctl.to'), timeInput('end')),
        h('label', {}, t('ctl.mode'), mode),
        h('p', { class: 'ctl-muted' }, t('ctl.sch.unoccupiedHint')),
        ...(grouped.get(`period:${sel.list}:${sel.index}`) ?? []).map((m) => h('p', { class: 'ctl-problem', 'data-problem': '' }, m)),
        editable ? remove : null));
      return card;
    }

    function modesEditor(grouped: Map<string, string[]>): HTMLElement {
      const s = schedule()!;
      const limits = modeLimits(s, vm.loaded?.groups);
      const rows = MODES.map((m) => {
        const sp = h('input', { type: 'number', step: 0.5, value: s.modes[m].setpoint, 'data-field': `setpoint-${m}`, disabled: !editable, 'aria-label': `${t(`ctl.mode.${m}` as MessageKey)} ${t('ctl.sch.setpoint')}` });
        sp.addEventListener('change', () => vm.setSetpoint(m, sp.value));
        const fan = h('input', { type: 'checkbox', checked: s.modes[m].fan, 'data-field': `fan-${m}`, disabled: !editable });
        fan.addEventListener('change', () => vm.setFan(m, fan.checked));
        return h('tr', { 'data-mode': m },
          h('td', {}, t(`ctl.mode.${m}` as MessageKey)), h('td', {}, sp, ' °C'), h('td', {}, h('label', {}, fan, t('ctl.sch.fan'))),
          h('td', {}, ...(grouped.get(`mode:${m}`) ?? []).map((msg) => h('div', { class: 'ctl-problem', 'data-problem': '' }, msg))));
      });
      const makeUp = h('select', { 'data-field': 'make-up-as', disabled: !editable }, ...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => h('option', { value: d, selected: s.makeUpAs === d }, t(`ctl.day.${d}` as MessageKey))));
      makeUp.addEventListener('change', () => vm.setMakeUpAs(makeUp.value as Schedule['makeUpAs']));
      return h('div', { class: 'ctl-card', 'data-testid': 'modes-editor' },
        h('h4', {}, t('ctl.sch.modes')),
        limits ? h('p', { class: 'ctl-muted' }, t('ctl.sch.limits', { min: formatNumber(limits.min, 1), max: formatNumber(limits.max, 1) })) : null,
        h('table', { class: 'ctl-table' }, h('tbody', {}, ...rows)),
        h('label', {}, t('ctl.sch.makeUpAs'), makeUp));
    }

    // Kept across redraws, so editing a period does not wipe a half-typed comment.
    const comment = h('input', { type: 'text', maxlength: 500, 'data-field': 'comment' });
    function saveBar(): HTMLElement {
      comment.placeholder = t('ctl.sch.commentPlaceholder');
      const save_ = h('button', { type: 'button', class: 'btn primary', 'data-action': 'save', disabled: !vm.dirty || vm.saving || !!vm.conflict }, t('ctl.sch.save'));
      save_.addEventListener('click', () => void save(comment.value.trim()));
      const discard = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'discard', disabled: !vm.dirty }, t('ctl.sch.discard'));
      discard.addEventListener('click', () => void load());
      return h('div', { class: 'ctl-row ctl-section' }, h('label', {}, t('ctl.sch.comment'), comment), save_, discard);
    }

    function versionsTable(): HTMLElement {
      return h('section', { class: 'ctl-section', 'data-testid': 'versions' },
        h('h3', {}, t('ctl.sch.history')),
        vm.versions.length
          ? h('table', { class: 'ctl-table' },
            h('thead', {}, h('tr', {}, h('th', {}, t('ctl.sch.versionCol')), h('th', {}, t('ctl.who')), h('th', {}, t('ctl.when')), h('th', {}, t('ctl.sch.comment')))),
            h('tbody', {}, ...vm.versions.map((v) => h('tr', { class: v.version === vm.loaded?.version ? 'active' : '', 'data-version': v.version },
              h('td', {}, String(v.version)), h('td', {}, v.user), h('td', {}, formatTime(v.savedAt)), h('td', {}, v.comment ?? '')))))
          : h('p', { class: 'ctl-muted' }, t('ctl.sch.noHistory')));
    }

    void load();
    draw();
    return {
      relabel() {
        preview.relabel();
        draw();
      },
      unmount() {
        vm.alive = false;
      },
    };
  },
};
