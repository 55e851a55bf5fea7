// #/control/schedules — the HVAC schedule editor: a week grid per schedule (zone groups), setpoint
// and fan per mode, the holiday/exception calendar, a preview of any day before saving, a save
// that checks the version (409 → someone else saved: reload), and the version history.
// Without `schedules:edit` everything is shown read-only.
import { can } from '../../../../contracts/auth.js';
import { h } from '../../dom.js';
import { formatNumber, localized, t, type MessageKey } from '../../i18n.js';
import type { ViewModule } from '../view.js';
import { ControlApiError, WEEK_DAYS, type Mode, type Period, type Problem, type ScheduleDoc, type SchedulesResponse, type ScheduleVersionInfo } from './control-api.js';
import { present, clientOf, formatTime, messageOf, renderTabs, scheduleVersionText } from './control-common.js';
import { createCalendarPanel } from './schedule-calendar.js';
import { createPreviewPanel } from './schedule-preview.js';
import { createWeekGrid, type GridColumn } from './week-grid.js';
import { groupProblems, unplacedProblems } from './week-model.js';
import './control.css';

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const MODES: readonly Mode[] = ['occupied', 'standby', 'unoccupied'];

type Status = { kind: '' | 'ok' | 'err' | 'warn'; text: () => string };

export const schedulesView: ViewModule = {
  id: 'control-schedules',
  mount(container, _params, ctx) {
    const client = clientOf(ctx);
    const editable = can(ctx.session.permissions, 'schedules:edit');
    let loaded: SchedulesResponse | null = null;
    let draft: ScheduleDoc = { schedules: [] };
    let versions: ScheduleVersionInfo[] = [];
    let scheduleIndex = 0;
    let selected: { list: string; index: number } | null = null;
    let problems: Problem[] = [];
    let dirty = false;
    let conflict: string | null = null;
    let status: Status = { kind: '', text: () => t('ctl.loading') };
    let saving = false;
    let alive = true;

    const schedule = () => draft.schedules[scheduleIndex] ?? null;
    const listOf = (key: string): Period[] => {
      const s = schedule();
      if (!s) return [];
      return key === 'holiday' ? s.holiday : s.week[key as (typeof WEEK_DAYS)[number]];
    };
    const setList = (key: string, periods: Period[]) => {
      const s = schedule();
      if (!s) return;
      if (key === 'holiday') s.holiday = periods;
      else s.week[key as (typeof WEEK_DAYS)[number]] = periods;
    };
    const changed = () => {
      dirty = true;
      status = { kind: '', text: () => t('ctl.sch.unsaved') };
      draw();
    };

    const grid = createWeekGrid({
      editable,
      onChange(list, periods, select) {
        setList(list, periods);
        selected = { list, index: select };
        changed();
      },
      onSelect(list, index) {
        selected = { list, index };
        draw();
      },
    });
    const calendar = createCalendarPanel({
      client,
      onChange(exceptions) {
        const s = schedule();
        if (!s) return;
        s.exceptions = exceptions;
        changed();
      },
    });
    const preview = createPreviewPanel({
      client,
      doc: () => draft,
      scheduleId: () => schedule()?.id ?? null,
      // Zones are rooms: show the room's name (with its floor), not `office-201`.
      zoneName(zone) {
        for (const b of ctx.site.buildings) for (const f of b.floors) {
          const room = f.rooms.find((r) => r.id === zone);
          if (room) return `${localized(room.name)} · ${localized(f.name)}`;
        }
        return zone;
      },
      onProblems(list) {
        problems = list;
        draw();
      },
    });

    async function load(message?: Status) {
      try {
        const [current, history] = await Promise.all([client.schedules(), client.versions()]);
        if (!alive) return;
        loaded = current;
        versions = history.items;
        draft = structuredClone(current.doc);
        scheduleIndex = Math.min(scheduleIndex, Math.max(0, draft.schedules.length - 1));
        selected = null;
        problems = [];
        dirty = false;
        conflict = null;
        status = message ?? { kind: '', text: () => '' };
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('view.loadFailed', { message: text }) };
      }
      draw();
    }

    async function save(note: string) {
      if (!loaded || saving) return;
      saving = true;
      status = { kind: '', text: () => t('ctl.sch.saving') };
      draw();
      try {
        const saved = await client.saveSchedules(draft, loaded.version, note);
        saving = false;
        comment.value = '';
        await load({ kind: 'ok', text: () => t('ctl.sch.saved', { version: saved.version }) });
        return;
      } catch (err) {
        const text = messageOf(err);
        if (err instanceof ControlApiError && err.status === 409) {
          conflict = text;
          status = { kind: 'warn', text: () => t('ctl.sch.conflictShort') };
        } else {
          problems = err instanceof ControlApiError ? err.problems : [];
          status = { kind: 'err', text: () => t('ctl.sch.refused', { message: text }) };
        }
      }
      saving = false;
      draw();
    }

    const tabs = h('div');
    const head = h('div');
    const body = h('div');
    const bottom = h('div');
    container.replaceChildren(h('div', { class: 'ctl-page', 'data-view': 'control-schedules' }, tabs, head, body, preview.element, calendar.element, bottom));
    if (!editable) preview.element.hidden = true;

    function draw() {
      tabs.replaceChildren(renderTabs(ctx.session, 'schedules'));
      const s = schedule();
      const grouped = groupProblems(problems, scheduleIndex);
      head.replaceChildren(...present(
        h('div', { class: 'ctl-head' },
          h('h2', { class: 'ctl-title' }, t('ctl.sch.title')),
          loaded ? h('span', { class: 'ctl-sub', 'data-testid': 'schedule-version', 'data-version': loaded.version },
            scheduleVersionText(loaded)) : null,
          dirty ? h('span', { class: 'ctl-status warn' }, t('ctl.sch.unsaved')) : null),
        editable ? null : h('p', { class: 'ctl-notice', 'data-testid': 'read-only' }, t('ctl.sch.readOnly')),
        conflict ? conflictBanner(conflict) : null,
        h('div', { class: `ctl-status ${status.kind}`, role: 'status', 'data-testid': 'schedule-status' }, status.text())));
      if (!s) {
        body.replaceChildren(loaded ? h('p', { class: 'ctl-muted' }, t('ctl.sch.none')) : h('span'));
        bottom.replaceChildren(versionsTable());
        calendar.render(null, false, grouped);
        return;
      }
      const picker = h('select', { 'data-field': 'schedule', 'aria-label': t('ctl.sch.schedule') },
        ...draft.schedules.map((x, i) => h('option', { value: i, selected: i === scheduleIndex }, `${localized(x.name)} (${x.groups.map(groupName).join(', ')})`)));
      picker.addEventListener('change', () => {
        scheduleIndex = Number(picker.value);
        selected = null;
        draw();
      });
      const columns: GridColumn[] = [...WEEK_DAYS.map((d) => ({ key: d, label: t(`ctl.day.${d}` as MessageKey), periods: s.week[d] })), { key: 'holiday', label: t('ctl.day.holiday'), periods: s.holiday }];
      grid.render(columns, selected, grouped);
      // Every period problem is also listed in words under the grid: a short block clips its text.
      const periodLines = [...grouped.entries()].filter(([key]) => key.startsWith('period:') && !key.startsWith('period:exception:')).flatMap(([key, messages]) => {
        const [, list, index] = key.split(':');
        const p = listOf(list)[Number(index)];
        const day = list === 'holiday' ? t('ctl.day.holiday') : t(`ctl.day.${list}` as MessageKey);
        return messages.map((m) => `${day}${p ? ` ${p.start}–${p.end}` : ''}: ${m}`);
      });
      const unplaced = [...periodLines, ...(grouped.get('schedule') ?? []), ...unplacedProblems(problems, draft.schedules.length).map((p) => `${p.path.join('.')}: ${p.message}`)];
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

    const groupName = (id: string) => localized(loaded?.groups.find((g) => g.id === id)?.name) || id;

    function conflictBanner(message: string): HTMLElement {
      const reload = h('button', { type: 'button', class: 'btn primary', 'data-action': 'reload' }, t('ctl.sch.reload'));
      reload.addEventListener('click', () => void load({ kind: '', text: () => t('ctl.sch.reloaded') }));
      return h('div', { class: 'ctl-conflict', role: 'alert', 'data-testid': 'conflict' }, h('span', {}, t('ctl.sch.conflict')), h('span', { class: 'ctl-muted' }, message), reload);
    }

    function periodEditor(grouped: Map<string, string[]>): HTMLElement {
      const card = h('div', { class: 'ctl-card', 'data-testid': 'period-editor' });
      const periods = selected ? listOf(selected.list) : [];
      const p = selected ? periods[selected.index] : undefined;
      if (!selected || !p) {
        card.append(h('h4', {}, t('ctl.sch.period')), h('p', { class: 'ctl-muted' }, t(editable ? 'ctl.sch.pickOrDrag' : 'ctl.sch.pick')));
        return card;
      }
      const sel = selected;
      const update = (next: Period | null) => {
        const list = [...periods];
        if (next) list[sel.index] = next;
        else {
          list.splice(sel.index, 1);
          selected = null;
        }
        setList(sel.list, list);
        changed();
      };
      const timeInput = (field: 'start' | 'end') => {
        const input = h('input', { type: 'text', inputmode: 'numeric', maxlength: 5, value: p[field], 'data-field': `period-${field}`, disabled: !editable, pattern: '[0-2][0-9]:[0-5][0-9]' });
        input.addEventListener('change', () => {
          if (TIME_RE.test(input.value)) update({ ...p, [field]: input.value });
          else input.setCustomValidity(t('ctl.sch.timeFormat'));
          input.reportValidity();
        });
        return input;
      };
      const mode = h('select', { 'data-field': 'period-mode', disabled: !editable }, ...MODES.map((m) => h('option', { value: m, selected: m === p.mode }, t(`ctl.mode.${m}` as MessageKey))));
      mode.addEventListener('change', () => update(mode.value === 'unoccupied' ? null : { ...p, mode: mode.value as Period['mode'] }));
      const remove = h('button', { type: 'button', class: 'btn', 'data-action': 'remove-period', disabled: !editable }, t('ctl.remove'));
      remove.addEventListener('click', () => update(null));
      const dayLabel = sel.list === 'holiday' ? t('ctl.day.holiday') : t(`ctl.day.${sel.list}` as MessageKey);
      card.append(
...present(        h('h4', {}, `${t('ctl.sch.period')} · ${dayLabel}`),
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
      const zones = s.groups.flatMap((g) => loaded?.groups.find((x) => x.id === g)?.zones ?? []);
      const min = zones.length ? Math.max(...zones.map((z) => z.limits.min)) : undefined;
      const max = zones.length ? Math.min(...zones.map((z) => z.limits.max)) : undefined;
      const rows = MODES.map((m) => {
        const sp = h('input', { type: 'number', step: 0.5, value: s.modes[m].setpoint, 'data-field': `setpoint-${m}`, disabled: !editable, 'aria-label': `${t(`ctl.mode.${m}` as MessageKey)} ${t('ctl.sch.setpoint')}` });
        sp.addEventListener('change', () => {
          const value = Number(sp.value);
          if (sp.value.trim() === '' || !Number.isFinite(value)) return;
          s.modes[m] = { ...s.modes[m], setpoint: value };
          changed();
        });
        const fan = h('input', { type: 'checkbox', checked: s.modes[m].fan, 'data-field': `fan-${m}`, disabled: !editable });
        fan.addEventListener('change', () => {
          s.modes[m] = { ...s.modes[m], fan: fan.checked };
          changed();
        });
        return h('tr', { 'data-mode': m },
          h('td', {}, t(`ctl.mode.${m}` as MessageKey)), h('td', {}, sp, ' °C'), h('td', {}, h('label', {}, fan, t('ctl.sch.fan'))),
          h('td', {}, ...(grouped.get(`mode:${m}`) ?? []).map((msg) => h('div', { class: 'ctl-problem', 'data-problem': '' }, msg))));
      });
      const makeUp = h('select', { 'data-field': 'make-up-as', disabled: !editable }, ...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => h('option', { value: d, selected: s.makeUpAs === d }, t(`ctl.day.${d}` as MessageKey))));
      makeUp.addEventListener('change', () => {
        s.makeUpAs = makeUp.value as typeof s.makeUpAs;
        changed();
      });
      return h('div', { class: 'ctl-card', 'data-testid': 'modes-editor' },
        h('h4', {}, t('ctl.sch.modes')),
        min !== undefined && max !== undefined ? h('p', { class: 'ctl-muted' }, t('ctl.sch.limits', { min: formatNumber(min, 1), max: formatNumber(max, 1) })) : null,
        h('table', { class: 'ctl-table' }, h('tbody', {}, ...rows)),
        h('label', {}, t('ctl.sch.makeUpAs'), makeUp));
    }

    // Kept across redraws, so editing a period does not wipe a half-typed comment.
    const comment = h('input', { type: 'text', maxlength: 500, 'data-field': 'comment' });
    function saveBar(): HTMLElement {
      comment.placeholder = t('ctl.sch.commentPlaceholder');
      const save_ = h('button', { type: 'button', class: 'btn primary', 'data-action': 'save', disabled: !dirty || saving || !!conflict }, t('ctl.sch.save'));
      save_.addEventListener('click', () => void save(comment.value.trim()));
      const discard = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'discard', disabled: !dirty }, t('ctl.sch.discard'));
      discard.addEventListener('click', () => void load());
      return h('div', { class: 'ctl-row ctl-section' }, h('label', {}, t('ctl.sch.comment'), comment), save_, discard);
    }

    function versionsTable(): HTMLElement {
      return h('section', { class: 'ctl-section', 'data-testid': 'versions' },
        h('h3', {}, t('ctl.sch.history')),
        versions.length
          ? h('table', { class: 'ctl-table' },
            h('thead', {}, h('tr', {}, h('th', {}, t('ctl.sch.versionCol')), h('th', {}, t('ctl.who')), h('th', {}, t('ctl.when')), h('th', {}, t('ctl.sch.comment')))),
            h('tbody', {}, ...versions.map((v) => h('tr', { class: v.version === loaded?.version ? 'active' : '', 'data-version': v.version },
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
        alive = false;
      },
    };
  },
};
