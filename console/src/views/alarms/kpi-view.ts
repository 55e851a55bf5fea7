// The alarm KPI page (`/alarms/kpi`): EEMUA 191 / ISA-18.2 figures for a period, as number
// tiles (coloured only when out of bounds) and tables: top 10, chattering, stale.
import type { AlarmKpis } from '../../../../contracts/alarms.js';
import type { LocalizedText } from '../../../../contracts/point.js';
import { h, setText } from '../../dom.js';
import { formatDateTime, getLocale, localized } from '../../i18n.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { AlarmClient } from './alarm-client.js';
import { areaLabel } from './alarm-format.js';
import { at } from './alarm-text.js';
import { alarmTabs, paintPriorities } from './alarms-nav.js';
import { KPI_PRESETS, kpiTiles, presetRange, type KpiPreset } from './kpi-format.js';
import { parseLocalDateTime, toLocalDateTime } from './journal-query.js';
import './alarms.css';

export const kpiView: ViewModule = {
  id: 'alarm-kpi',
  mount(container: HTMLElement, _params, ctx: ViewContext): MountedView {
    const client = new AlarmClient(ctx.session.token);
    let kpis: AlarmKpis | null = null;
    let destroyed = false;
    let request = 0;
    const names = new Map<string, { message: LocalizedText; area: string }>();

    const tabs = alarmTabs('kpi');
    const title = h('h2', { class: 'alarms-title' });
    const presetButtons = KPI_PRESETS.map((p) => h('button', { type: 'button', class: 'btn kpi-preset', 'data-preset': p, onclick: () => loadPreset(p) }));
    const fromInput = h('input', { type: 'datetime-local', class: 'kpi-from' });
    const toInput = h('input', { type: 'datetime-local', class: 'kpi-to' });
    const fromLabel = h('span');
    const toLabel = h('span');
    const apply = h('button', { type: 'submit', class: 'btn kpi-apply' });
    const form = h('form', { class: 'kpi-range' }, ...presetButtons, h('label', {}, fromLabel, fromInput), h('label', {}, toLabel, toInput), apply);
    const period = h('p', { class: 'kpi-period' });
    const status = h('div', { class: 'alarms-status', 'aria-live': 'polite' });
    const tiles = h('div', { class: 'kpi-tiles' });
    const tables = h('div', { class: 'kpi-tables' });
    container.replaceChildren(
      paintPriorities(h('section', { class: 'kpi-view alarm-page' }, tabs.element, h('header', { class: 'alarms-head' }, title), form, period, status, tiles, tables)),
    );

    const load = async (from: number, to: number) => {
      const mine = ++request;
      fromInput.value = toLocalDateTime(from);
      toInput.value = toLocalDateTime(to);
      setText(status, at('j.loading'));
      try {
        const answer = await client.kpi(from, to);
        if (destroyed || mine !== request) return;
        kpis = answer;
        setText(status, '');
        draw();
      } catch (err) {
        if (!destroyed && mine === request) setText(status, at('failed', { message: (err as Error).message }));
      }
    };
    const loadPreset = (p: KpiPreset) => {
      presetButtons.forEach((b) => b.classList.toggle('active', b.dataset.preset === p));
      const r = presetRange(p, Date.now());
      void load(r.from, r.to);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const from = parseLocalDateTime(fromInput.value);
      const to = parseLocalDateTime(toInput.value);
      if (from === undefined || Number.isNaN(from)) return void setText(status, at('j.badTime', { field: at('j.from') }));
      if (to === undefined || Number.isNaN(to)) return void setText(status, at('j.badTime', { field: at('j.to') }));
      if (from >= to) return void setText(status, at('j.badRange'));
      presetButtons.forEach((b) => b.classList.remove('active'));
      void load(from, to);
    });

    const alarmCells = (alarmId: string) => {
      const known = names.get(alarmId);
      const locale = getLocale();
      if (!known) return [h('td', { class: 'alarm-message' }, alarmId), h('td', { class: 'alarm-area' }, '')];
      const where = areaLabel(ctx.site, known.area, locale);
      return [
        h('td', { class: 'alarm-message' }, localized(known.message, locale), h('span', { class: 'alarm-where' }, alarmId)),
        h('td', { class: 'alarm-area' }, where.name, where.where ? h('span', { class: 'alarm-where' }, where.where) : null),
      ];
    };
    const table = (cls: string, heading: string, columns: string[], rows: HTMLTableRowElement[], none: string) =>
      h('section', { class: `kpi-table ${cls}` },
        h('h3', {}, heading),
        rows.length
          ? h('table', { class: 'alarms' }, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows))
          : h('p', { class: 'kpi-none' }, none));

    const draw = () => {
      if (!kpis) return;
      const k = kpis;
      setText(period, at('kpi.period', { from: formatDateTime(k.from), to: formatDateTime(k.to), periods: k.periods, positions: k.operatorPositions }));
      tiles.replaceChildren(...kpiTiles(k).map((tile) =>
        h('div', { class: `kpi-tile v-${tile.verdict}`, 'data-kpi': tile.key },
          h('div', { class: 'kpi-value' }, tile.value),
          h('div', { class: 'kpi-label' }, at(`kpi.${tile.key}`)),
          h('div', { class: 'kpi-target' }, at(`kpi.${tile.key}.target`)))));
      const cols = [at('col.message'), at('col.area')];
      tables.replaceChildren(
        table('kpi-top10', at('kpi.top10'), ['#', ...cols, at('kpi.count')],
          k.top10.map((r, i) => h('tr', { 'data-alarm-id': r.alarmId }, h('td', {}, String(i + 1)), ...alarmCells(r.alarmId), h('td', { class: 'kpi-num' }, String(r.count)))), at('kpi.none')),
        table('kpi-chattering', at('kpi.chatteringList'), [...cols, at('kpi.maxIn60s')],
          k.chattering.map((r) => h('tr', { 'data-alarm-id': r.alarmId }, ...alarmCells(r.alarmId), h('td', { class: 'kpi-num' }, String(r.maxIn60s)))), at('kpi.none')),
        table('kpi-stale', at('kpi.staleList'), [...cols, at('kpi.activeSince')],
          k.stale.map((r) => h('tr', { 'data-alarm-id': r.alarmId }, ...alarmCells(r.alarmId), h('td', {}, formatDateTime(r.activeSince)))), at('kpi.none')),
      );
    };

    const relabel = () => {
      tabs.relabel();
      setText(title, at('kpi.title'));
      presetButtons.forEach((b) => setText(b, at(`kpi.preset.${b.dataset.preset as KpiPreset}`)));
      setText(fromLabel, at('j.from'));
      setText(toLabel, at('j.to'));
      setText(apply, at('j.apply'));
      draw();
    };
    relabel();
    client.all().then((all) => {
      for (const a of all) names.set(a.id, { message: a.message, area: a.area });
      if (!destroyed) draw();
    }, () => undefined);
    loadPreset('24h');

    return {
      relabel,
      unmount() {
        destroyed = true;
      },
    };
  },
};
