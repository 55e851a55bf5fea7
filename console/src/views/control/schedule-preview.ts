// "What would the zones do on this day?" — the hub evaluates the edited (unsaved) schedule for a
// chosen date and answers per zone with segments; drawn as a timeline and a list of setpoints.
import { h } from '../../dom.js';
import { formatNumber, t, type MessageKey } from '../../i18n.js';
import { ControlApiError, type ControlClient, type PreviewZone, type Problem, type ScheduleDoc } from './control-api.js';
import { messageOf, todayIso } from './control-common.js';
import { DAY_MIN, minutesOf } from './week-model.js';

export interface PreviewPanel {
  element: HTMLElement;
  relabel(): void;
}

export interface PreviewPanelOptions {
  client: ControlClient;
  /** The document being edited, sent with the request (nothing is saved). */
  doc(): ScheduleDoc;
  /** Only these schedules' zones are listed (the one on screen). */
  scheduleId(): string | null;
  onProblems(problems: Problem[]): void;
  /** The zone's display name (its room's); the id is the fallback and the title. */
  zoneName?(zone: string): string;
}

const SOURCE_KEYS: Record<PreviewZone['source'], MessageKey> = {
  exception: 'ctl.pv.source.exception',
  holiday: 'ctl.pv.source.holiday',
  makeup: 'ctl.pv.source.makeup',
  week: 'ctl.pv.source.week',
};

export function createPreviewPanel(o: PreviewPanelOptions): PreviewPanel {
  const element = h('section', { class: 'ctl-section', 'data-testid': 'preview' });
  const date = h('input', { type: 'date', value: todayIso(), 'data-field': 'preview-date' });
  const button = h('button', { type: 'button', class: 'btn', 'data-action': 'preview' });
  const status = h('div', { class: 'ctl-status', role: 'status' });
  const result = h('div', { class: 'pv-result' });
  let zones: PreviewZone[] | null = null;
  let error = '';

  button.addEventListener('click', () => void run());
  async function run() {
    button.disabled = true;
    error = '';
    try {
      zones = (await o.client.preview(date.value, o.doc())).zones;
      o.onProblems([]);
    } catch (err) {
      zones = null;
      error = messageOf(err);
      if (err instanceof ControlApiError) o.onProblems(err.problems);
    } finally {
      button.disabled = false;
      draw();
    }
  }

  function draw() {
    button.textContent = t('ctl.pv.run');
    status.className = error ? 'ctl-status err' : 'ctl-status';
    status.textContent = error ? t('ctl.pv.failed', { message: error }) : '';
    if (!zones) {
      result.replaceChildren();
      return;
    }
    const id = o.scheduleId();
    const shown = zones.filter((z) => !id || z.schedule === id);
    const first = shown[0];
    const day = first ? h('p', { class: 'ctl-sub', 'data-testid': 'preview-day' },
      `${first.day.date} · ${t(SOURCE_KEYS[first.source])}${first.day.name ? ` (${first.day.name})` : ''}${first.note ? ` — ${first.note}` : ''}`) : h('p', { class: 'ctl-muted' }, t('ctl.pv.noZones'));
    // One line per zone at the desk (control.css): the bar carries the day at a glance, the list
    // runs to "…" when the column is short, and the whole list is the cell's title.
    const rows = shown.map((z) => {
      const list = z.segments.map((s) => `${s.from}–${s.to} ${t(`ctl.mode.${s.mode}` as MessageKey)} ${formatNumber(s.setpoint, 1)} °C${s.fan ? '' : ` · ${t('ctl.fanOff')}`}`).join('; ');
      const name = o.zoneName?.(z.zone) || z.zone;
      return h('tr', { 'data-zone': z.zone },
        h('td', { class: 'pv-zone', title: name === z.zone ? z.zone : `${name} (${z.zone})` }, name),
        h('td', { class: 'pv-day' }, bar(z)),
        h('td', { class: 'pv-list', title: list }, list));
    });
    result.replaceChildren(day, h('table', { class: 'ctl-table pv-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('ctl.pv.zone')), h('th', {}, t('ctl.pv.day')), h('th', {}, t('ctl.pv.setpoints')))),
      h('tbody', {}, ...rows)));
  }

  function bar(z: PreviewZone): HTMLElement {
    const el = h('div', { class: 'pv-bar' });
    for (const s of z.segments) {
      const from = minutesOf(s.from);
      const to = minutesOf(s.to);
      const seg = h('div', { class: `pv-seg mode-${s.mode}`, title: `${s.from}–${s.to} ${t(`ctl.mode.${s.mode}` as MessageKey)} ${formatNumber(s.setpoint, 1)} °C` }, `${formatNumber(s.setpoint, 0)}°`);
      seg.style.left = `${(from / DAY_MIN) * 100}%`;
      seg.style.width = `${((to - from) / DAY_MIN) * 100}%`;
      el.append(seg);
    }
    return el;
  }

  const label = h('label', {});
  const relabel = () => {
    label.replaceChildren(t('ctl.pv.date'), date);
    element.replaceChildren(h('h3', {}, t('ctl.pv.heading')), h('p', { class: 'ctl-muted' }, t('ctl.pv.hint')), h('div', { class: 'ctl-row' }, label, button), status, result);
    draw();
  };
  relabel();
  return { element, relabel };
}
