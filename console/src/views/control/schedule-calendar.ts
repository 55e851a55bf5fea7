// The year calendar of a schedule: China's public holidays and 调休 make-up working days (from the
// hub's calendar), the schedule's one-off exceptions on top, a form to add an exception and the
// list of exceptions (with the hub's problems beside the one they name).
import { h, setText } from '../../dom.js';
import { getLocale, t, type MessageKey } from '../../i18n.js';
import type { CalendarDay, ControlClient, Period, Schedule } from './control-api.js';
import { messageOf, present, todayIso } from './control-common.js';

type Exception = Schedule['exceptions'][number];

export interface CalendarPanel {
  element: HTMLElement;
  render(schedule: Schedule | null, editable: boolean, problems: Map<string, string[]>): void;
}

export interface CalendarPanelOptions {
  client: ControlClient;
  onChange(exceptions: Exception[]): void;
}

/** Monday-first weeks: column of a date's weekday (Mon = 0). */
const mondayIndex = (year: number, month: number, day: number) => (new Date(year, month - 1, day).getDay() + 6) % 7;
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export function createCalendarPanel(o: CalendarPanelOptions): CalendarPanel {
  let year = new Date().getFullYear();
  let days = new Map<string, CalendarDay>();
  let loadError = '';
  let last: { schedule: Schedule | null; editable: boolean; problems: Map<string, string[]> } = { schedule: null, editable: false, problems: new Map() };
  const element = h('section', { class: 'ctl-section', 'data-testid': 'calendar' });

  const load = async () => {
    try {
      const answer = await o.client.calendar(year);
      days = new Map(answer.days.map((d) => [d.date, d]));
      loadError = '';
    } catch (err) {
      days = new Map();
      loadError = messageOf(err);
    }
    draw();
  };

  const draw = () => {
    const { schedule, editable, problems } = last;
    const exceptions = new Map((schedule?.exceptions ?? []).map((e) => [e.date, e]));
    const yearSelect = h('select', { 'aria-label': t('ctl.cal.year'), 'data-field': 'year' },
      ...[year - 1, year, year + 1].map((y) => h('option', { value: y, selected: y === year }, String(y))));
    yearSelect.addEventListener('change', () => {
      year = Number(yearSelect.value);
      void load();
    });
    const legend = h('div', { class: 'wg-legend' },
      h('span', {}, h('span', { class: 'cal-day holiday wg-swatch' }), t('ctl.cal.holiday')),
      h('span', {}, h('span', { class: 'cal-day makeup wg-swatch' }), t('ctl.cal.makeup')),
      h('span', {}, h('span', { class: 'cal-day exception wg-swatch' }), t('ctl.cal.exception')));
    const today = todayIso();
    const dows = ['ctl.dow.mon', 'ctl.dow.tue', 'ctl.dow.wed', 'ctl.dow.thu', 'ctl.dow.fri', 'ctl.dow.sat', 'ctl.dow.sun'] as const;
    const months = h('div', { class: 'cal-months' });
    for (let month = 1; month <= 12; month++) {
      const grid = h('div', { class: 'cal-grid' }, ...dows.map((k) => h('span', { class: 'dow' }, t(k))));
      for (let i = 0; i < mondayIndex(year, month, 1); i++) grid.append(h('span'));
      const length = new Date(year, month, 0).getDate();
      for (let d = 1; d <= length; d++) {
        const date = iso(year, month, d);
        const info = days.get(date);
        const exception = exceptions.get(date);
        const weekend = mondayIndex(year, month, d) >= 5;
        const classes = ['cal-day', weekend ? 'weekend' : '', info?.type === 'holiday' ? 'holiday' : '', info?.type === 'makeup-workday' ? 'makeup' : '', exception ? 'exception' : '', date === today ? 'today' : ''];
        const titles = [date, info?.name ? `${t(info.type === 'holiday' ? 'ctl.cal.holiday' : 'ctl.cal.makeup')}: ${info.name}` : '', exception ? `${t('ctl.cal.exception')}: ${exception.note ?? ''} ${describePeriods(exception.periods)}` : ''];
        grid.append(h('span', { class: classes.filter(Boolean).join(' '), 'data-date': date, 'data-type': info?.type ?? (weekend ? 'weekend' : 'workday'), title: titles.filter(Boolean).join('\n') }, String(d)));
      }
      months.append(h('div', { class: 'cal-month' }, h('h5', {}, new Intl.DateTimeFormat(getLocale(), { month: 'long' }).format(new Date(year, month - 1, 1))), grid));
    }
    const makeUpDays = [...days.values()].filter((d) => d.type === 'makeup-workday').map((d) => `${d.date} ${d.name ?? ''}`).join(' · ');
    element.replaceChildren(...present(
      h('h3', {}, t('ctl.cal.heading')),
      h('div', { class: 'ctl-row' }, yearSelect, legend),
      loadError ? h('p', { class: 'ctl-status err' }, t('view.loadFailed', { message: loadError })) : null,
      months,
      makeUpDays ? h('p', { class: 'ctl-muted', 'data-testid': 'makeup-days' }, `${t('ctl.cal.makeupList')} ${makeUpDays}`) : null,
      exceptionList(schedule, editable, problems),
      editable && schedule ? addForm(schedule) : null,
    ));
  };

  function exceptionList(schedule: Schedule | null, editable: boolean, problems: Map<string, string[]>): HTMLElement {
    const list = schedule?.exceptions ?? [];
    if (!list.length) return h('p', { class: 'ctl-muted' }, t('ctl.cal.noExceptions'));
    const rows = list.map((e, i) => {
      const messages = [...(problems.get(`exception:${i}`) ?? []), ...[...problems.entries()].filter(([k]) => k.startsWith(`period:exception:${i}:`)).flatMap(([, m]) => m)];
      const remove = editable ? h('button', { type: 'button', class: 'btn ghost', 'data-action': 'remove-exception' }, t('ctl.remove')) : null;
      remove?.addEventListener('click', () => o.onChange(list.filter((_, k) => k !== i)));
      return h('tr', { 'data-exception': e.date }, h('td', {}, e.date), h('td', {}, e.note ?? ''), h('td', {}, describePeriods(e.periods)),
        h('td', {}, ...messages.map((m) => h('div', { class: 'ctl-problem' }, m))), h('td', {}, remove));
    });
    return h('table', { class: 'ctl-table' },
      h('thead', {}, h('tr', {}, ...['ctl.cal.date', 'ctl.cal.note', 'ctl.cal.periods', 'ctl.problems', ''].map((k) => h('th', {}, k ? t(k as MessageKey) : '')))),
      h('tbody', {}, ...rows));
  }

  function addForm(schedule: Schedule): HTMLElement {
    const date = h('input', { type: 'date', 'data-field': 'exception-date', required: true });
    const note = h('input', { type: 'text', maxlength: 200, 'data-field': 'exception-note', placeholder: t('ctl.cal.notePlaceholder') });
    const mode = h('select', { 'data-field': 'exception-mode' },
      h('option', { value: 'occupied' }, t('ctl.mode.occupied')), h('option', { value: 'standby' }, t('ctl.mode.standby')), h('option', { value: 'closed' }, t('ctl.cal.closed')));
    const start = h('input', { type: 'time', step: 900, value: '08:30', 'data-field': 'exception-start' });
    const end = h('input', { type: 'time', step: 900, value: '12:00', 'data-field': 'exception-end' });
    const status = h('span', { class: 'ctl-status err' });
    const add = h('button', { type: 'submit', class: 'btn' }, t('ctl.cal.add'));
    const form = h('form', { class: 'ctl-row', 'data-testid': 'add-exception' },
      h('label', {}, t('ctl.cal.date'), date), h('label', {}, t('ctl.cal.note'), note), h('label', {}, t('ctl.mode'), mode),
      h('label', {}, t('ctl.from'), start), h('label', {}, t('ctl.to'), end), add, status);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!date.value) return setText(status, t('ctl.cal.needDate'));
      if (schedule.exceptions.some((e) => e.date === date.value)) return setText(status, t('ctl.cal.duplicate', { date: date.value }));
      const periods: Period[] = mode.value === 'closed' ? [] : [{ start: start.value, end: end.value === '00:00' ? '24:00' : end.value, mode: mode.value as Period['mode'] }];
      const exception: Exception = { date: date.value, periods, ...(note.value.trim() ? { note: note.value.trim() } : {}) };
      o.onChange([...schedule.exceptions, exception].sort((a, b) => a.date.localeCompare(b.date)));
    });
    return form;
  }

  void load();
  return {
    element,
    render(schedule, editable, problems) {
      last = { schedule, editable, problems };
      draw();
    },
  };
}

export function describePeriods(periods: readonly Period[]): string {
  if (!periods.length) return t('ctl.cal.closedAllDay');
  return periods.map((p) => `${p.start}–${p.end} ${t(`ctl.mode.${p.mode}` as MessageKey)}`).join(', ');
}
