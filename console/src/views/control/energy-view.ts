// #/control/energy — electricity and water per building/floor per hour/day/month (ECharts, lazily
// loaded), today vs yesterday and last week, HVAC and lighting runtime, the schedules' savings vs
// an always-on baseline, and the night-flow water analysis (suspected leak).
import type { EnergyResponse } from '../../../../contracts/api.js';
import { h } from '../../dom.js';
import { formatNumber, getLocale, localized, t, type MessageKey } from '../../i18n.js';
import { CHART_LINE, CHART_TEXT, SERIES_COLOURS, loadECharts, type EChartsInstance } from '../../trends/echarts.js';
import { fetchEnergy } from '../../trends/history-client.js';
import type { ViewModule } from '../view.js';
import type { Comparison, EnergySummary, NightFlow } from './control-api.js';
import { present, clientOf, formatTime, messageOf, renderTabs } from './control-common.js';
import { buildingKeyOf, changeText, compareDays, floorKeyOf, metersIn, savingsPlausible, splitRuntime, sumByStart } from './energy-model.js';
import { floorName } from './lighting-view.js';
import { safeTimeZone, siteStartOfDay, siteStartOfMonth } from '../../site-time.js';
import './control.css';

type Medium = 'electricity' | 'water';
type Interval = EnergyResponse['interval'];
const DAY = 86_400_000;

export const energyView: ViewModule = {
  id: 'control-energy',
  mount(container, _params, ctx) {
    const client = clientOf(ctx);
    // Days and hours are the site's (the hub buckets in config.site.timezone), not the browser's.
    const tz = safeTimeZone(ctx.site.timezone);
    let summary: EnergySummary | null = null;
    let night: NightFlow | null = null;
    let error = '';
    let chartError = '';
    let medium: Medium = 'electricity';
    let interval: Interval = 'hour';
    let scope = '';
    let chart: EChartsInstance | null = null;
    let chartData: EnergyResponse | null = null;
    let alive = true;
    /** Point names (for runtime and meter rows): loaded once; the id is the fallback and the title. */
    let names = new Map<string, string>();
    const nameOf = (id: string) => names.get(id) || id;
    void ctx.api.allPoints({}).then((points) => {
      if (!alive) return;
      names = new Map(points.map((p) => [p.id, `${localized(p.name)} · ${roomOf(p.id)}`]));
      draw();
    }).catch(() => undefined);
    const roomOf = (id: string) => {
      const [, b, f, r] = id.split('/');
      const building = ctx.site.buildings.find((x) => x.id === b);
      const floor = building?.floors.find((x) => x.id === f);
      return localized(floor?.rooms.find((x) => x.id === r)?.name) || localized(floor?.name) || r || '';
    };

    const page = h('div', { class: 'ctl-page', 'data-view': 'control-energy' });
    const plot = h('div', { class: 'en-chart', 'data-testid': 'energy-chart' });
    const chartStatus = h('div', { class: 'ctl-status' });
    const controls = h('div', { class: 'ctl-row' });
    const top = h('div');
    const bottom = h('div');
    page.append(top, h('section', { class: 'ctl-section' }, controls, chartStatus, plot), bottom);
    container.replaceChildren(page);

    async function loadSummary() {
      try {
        [summary, night] = await Promise.all([client.energySummary(), client.nightFlow()]);
        error = '';
      } catch (err) {
        error = messageOf(err);
      }
      if (!alive) return;
      draw();
      await loadChart();
    }

    const meters = () => metersIn(summary?.[medium].meters ?? [], scope);

    /** Bumped by every load: an answer for an older choice of selectors is dropped, not drawn. */
    let loadSeq = 0;
    async function loadChart() {
      const seq = ++loadSeq;
      const ids = meters();
      chartData = null;
      chartError = '';
      if (!ids.length) {
        drawChart();
        return;
      }
      const now = Date.now();
      const today = siteStartOfDay(now, tz);
      const from = interval === 'hour' ? siteStartOfDay(today - 7 * DAY + 12 * 3_600_000, tz) : interval === 'day' ? siteStartOfDay(today - 30 * DAY + 12 * 3_600_000, tz) : siteStartOfMonth(now, tz, 11);
      try {
        const data = await fetchEnergy(ids, from, now, interval, ctx.session.token);
        if (!alive || seq !== loadSeq) return;
        chartData = data;
      } catch (err) {
        if (seq !== loadSeq) return;
        chartError = messageOf(err);
      }
      void drawChart();
    }

    async function drawChart() {
      const unit = medium === 'electricity' ? 'kWh' : 'm³';
      chartStatus.className = chartError ? 'ctl-status err' : 'ctl-status';
      chartStatus.textContent = chartError ? t('ctl.en.chartFailed', { message: chartError }) : !meters().length ? t('ctl.en.noMeters') : '';
      plot.hidden = !chartData;
      // The data this drawing is for: a newer load may replace chartData while ECharts loads.
      const data = chartData;
      if (!data) {
        chart?.clear();
        return;
      }
      // How many buckets have a reading: lets a reader (and the e2e test) tell an empty chart from a drawn one.
      plot.dataset.points = String([...sumByStart(data).values()].filter((v) => v !== null).length);
      const echarts = await loadECharts();
      if (!alive || chartData !== data) return;
      chart ??= echarts.init(plot);
      const axis = { axisLine: { lineStyle: { color: CHART_LINE } }, axisLabel: { color: CHART_TEXT }, splitLine: { lineStyle: { color: CHART_LINE } } };
      const base = {
        animation: false,
        backgroundColor: 'transparent',
        textStyle: { color: CHART_TEXT },
        tooltip: { trigger: 'axis' as const },
        legend: { top: 4, textStyle: { color: CHART_TEXT } },
        grid: { left: 60, right: 20, top: 40, bottom: 30 },
        yAxis: { type: 'value' as const, name: unit, ...axis },
      };
      if (interval === 'hour') {
        const c = compareDays(data, siteStartOfDay(Date.now(), tz));
        chart.setOption({
          ...base,
          xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:00`), ...axis },
          series: [
            { name: t('ctl.en.today'), type: 'bar', data: c.today, itemStyle: { color: SERIES_COLOURS[0] } },
            { name: t('ctl.en.yesterday'), type: 'line', data: c.yesterday, itemStyle: { color: SERIES_COLOURS[4] }, symbol: 'none' },
            { name: t('ctl.en.lastWeek'), type: 'line', data: c.lastWeek, itemStyle: { color: SERIES_COLOURS[1] }, lineStyle: { type: 'dashed' }, symbol: 'none' },
          ],
        }, true);
      } else {
        const sums = [...sumByStart(data).entries()].sort(([a], [b]) => a - b);
        const label = (ts: number) => new Intl.DateTimeFormat(getLocale(), interval === 'day' ? { month: 'numeric', day: 'numeric', timeZone: tz } : { year: 'numeric', month: 'short', timeZone: tz }).format(ts);
        chart.setOption({
          ...base,
          xAxis: { type: 'category', data: sums.map(([ts]) => label(ts)), ...axis },
          series: [{ name: t(medium === 'electricity' ? 'ctl.en.electricity' : 'ctl.en.water'), type: 'bar', data: sums.map(([, v]) => v), itemStyle: { color: SERIES_COLOURS[0] } }],
        }, true);
      }
    }

    function card(title: MessageKey, c: Comparison, unit: string, vs: MessageKey): HTMLElement {
      const change = changeText(c.changePct);
      return h('div', { class: 'ctl-card', 'data-card': title },
        h('h4', {}, t(title)),
        h('div', { class: 'en-value' }, c.value === null ? '—' : `${formatNumber(c.value, 1)} ${unit}`),
        h('div', { class: 'en-compare' }, c.previous === null ? t('ctl.en.noComparison') : `${t(vs, { value: `${formatNumber(c.previous, 1)} ${unit}` })}${change ? ` (${change})` : ''}`));
    }

    function draw() {
      const select = <T extends string>(field: string, value: T, options: Array<[T, string]>, onChange: (v: T) => void) => {
        const el = h('select', { 'data-field': field }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
        el.addEventListener('change', () => {
          onChange(el.value as T);
          void loadChart();
        });
        return el;
      };
      const allMeters = [...(summary?.electricity.meters ?? []), ...(summary?.water.meters ?? [])];
      const buildings = [...new Set(allMeters.map(buildingKeyOf))].sort();
      const floors = [...new Set(allMeters.map(floorKeyOf))].sort();
      const scopes: Array<[string, string]> = [['', t('ctl.en.allBuildings')],
        ...buildings.map((b): [string, string] => [b, localized(ctx.site.buildings.find((x) => `${ctx.site.id}/${x.id}` === b)?.name) || b]),
        ...floors.map((f): [string, string] => [f, `  ${floorName(ctx.site, f)}`])];
      controls.replaceChildren(
        h('label', {}, t('ctl.en.medium'), select('medium', medium, [['electricity', t('ctl.en.electricity')], ['water', t('ctl.en.water')]], (v) => (medium = v))),
        h('label', {}, t('ctl.en.scope'), select('scope', scope, scopes, (v) => (scope = v))),
        h('label', {}, t('ctl.en.interval'), select('interval', interval, [['hour', t('ctl.en.hour')], ['day', t('ctl.en.day')], ['month', t('ctl.en.month')]], (v) => (interval = v))));

      top.replaceChildren(...present(
        renderTabs(ctx.session, 'energy'),
        h('div', { class: 'ctl-head' }, h('h2', { class: 'ctl-title' }, t('ctl.en.title'))),
        error ? h('p', { class: 'ctl-status err' }, t('view.loadFailed', { message: error })) : null,
        summary && !summary.historyAvailable ? h('p', { class: 'ctl-notice' }, t('ctl.en.noHistory')) : null,
        summary ? h('div', { class: 'en-cards', 'data-testid': 'energy-cards' },
          card('ctl.en.elecToday', summary.electricity.todaySoFar, 'kWh', 'ctl.en.vsYesterday'),
          card('ctl.en.elecWeek', summary.electricity.vsLastWeek, 'kWh', 'ctl.en.vsLastWeek'),
          card('ctl.en.waterToday', summary.water.todaySoFar, 'm³', 'ctl.en.vsYesterday'),
          card('ctl.en.waterWeek', summary.water.vsLastWeek, 'm³', 'ctl.en.vsLastWeek')) : h('p', { class: 'ctl-muted' }, t('ctl.loading'))));
      bottom.replaceChildren(...(summary ? [savings(summary), runtime(summary)] : []), nightFlow());
      void drawChart();
    }

    function savings(s: EnergySummary): HTMLElement {
      const verdict = savingsPlausible(s.scheduleSavingsToday.map((x) => x.savedKwh), s.electricity.todaySoFar.value);
      if (!verdict.show) {
        return h('section', { class: 'ctl-section', 'data-testid': 'savings', 'data-withheld': 'true' }, h('h3', {}, t('ctl.en.savings')),
          h('p', { class: 'ctl-muted' }, t('ctl.en.savingsWithheld', { saved: `${formatNumber(verdict.saved, 0)} kWh`, used: s.electricity.todaySoFar.value === null ? '—' : `${formatNumber(s.electricity.todaySoFar.value, 0)} kWh` })));
      }
      return h('section', { class: 'ctl-section', 'data-testid': 'savings' }, h('h3', {}, t('ctl.en.savings')), h('p', { class: 'ctl-muted' }, t('ctl.en.savingsHint')),
        h('table', { class: 'ctl-table' },
          h('thead', {}, h('tr', {}, ...(['ctl.en.schedule', 'ctl.en.zones', 'ctl.en.baseline', 'ctl.en.scheduled', 'ctl.en.saved', 'ctl.en.avoidedHours'] as const).map((k) => h('th', {}, t(k))))),
          h('tbody', {}, ...s.scheduleSavingsToday.map((x) => h('tr', { 'data-schedule': x.schedule },
            h('td', {}, x.schedule), h('td', { class: 'num' }, String(x.zones)),
            h('td', { class: 'num' }, `${formatNumber(x.baselineKwh, 1)} kWh`), h('td', { class: 'num' }, `${formatNumber(x.scheduledKwh, 1)} kWh`),
            h('td', { class: 'num' }, `${formatNumber(x.savedKwh, 1)} kWh`), h('td', { class: 'num' }, formatNumber(x.avoidedHours, 1)))))));
    }

    function runtime(s: EnergySummary): HTMLElement {
      const { hvac, lighting } = splitRuntime(s.runtimeHoursToday);
      const total = (list: Array<[string, number]>) => list.reduce((a, [, v]) => a + v, 0);
      const list = (title: MessageKey, items: Array<[string, number]>) => h('div', { class: 'ctl-card' },
        h('h4', {}, `${t(title)} · ${t('ctl.en.hoursTotal', { h: formatNumber(total(items), 1), n: items.length })}`),
        h('table', { class: 'ctl-table' }, h('tbody', {}, ...items.filter(([, v]) => v > 0).slice(0, 30).map(([id, v]) => h('tr', {}, h('td', { title: id }, nameOf(id)), h('td', { class: 'num' }, `${formatNumber(v, 2)} h`))))));
      return h('section', { class: 'ctl-section', 'data-testid': 'runtime' }, h('h3', {}, t('ctl.en.runtime')),
        h('div', { class: 'en-cards' }, list('ctl.en.hvac', hvac), list('ctl.en.lighting', lighting)));
    }

    /** One line at desk width: the holes in the night's readings (comm_fail) are a short mark with the detail as tooltip. */
    function verdictCell(result: NonNullable<typeof night>['latest'][number]['result'] | undefined, verdict: string | undefined): HTMLElement {
      const incomplete = result?.gaps?.length ? t('ctl.en.verdict.incomplete', { min: result.missingMin ?? '?' }) : null;
      return h('td', { class: verdict === 'leak-suspected' ? 'leak' : '', 'data-incomplete': incomplete ? 'true' : null, title: incomplete },
        t(verdict ? (`ctl.en.verdict.${verdict}` as MessageKey) : 'ctl.en.verdict.pending'),
        // "Not enough readings" already says it; the others are published as uncertain.
        incomplete && verdict !== 'insufficient-data' ? h('span', { class: 'ctl-muted' }, ` · ${t('ctl.en.verdict.uncertain')}`) : null);
    }

    function nightFlow(): HTMLElement {
      const section = h('section', { class: 'ctl-section', 'data-testid': 'night-flow' }, h('h3', {}, t('ctl.en.nightFlow')), h('p', { class: 'ctl-muted' }, t('ctl.en.nightFlowHint')));
      if (!night || !night.meters.length) {
        section.append(h('p', { class: 'ctl-muted' }, t('ctl.en.noWaterMeters')));
        return section;
      }
      const latest = new Map(night.latest.map((e) => [e.meter, e]));
      section.append(h('table', { class: 'ctl-table' },
        h('thead', {}, h('tr', {}, ...(['ctl.en.meter', 'ctl.en.night', 'ctl.en.verdict', 'ctl.en.minFlow', 'ctl.en.loss'] as const).map((k) => h('th', {}, t(k))))),
        h('tbody', {}, ...night.meters.map((m) => {
          const e = latest.get(m);
          const verdict = e?.result.verdict;
          return h('tr', { 'data-meter': m, 'data-verdict': verdict ?? 'pending' },
            h('td', { title: m }, nameOf(m)),
            h('td', {}, e ? `${e.date} (${formatTime(e.ts)})` : '—'),
            verdictCell(e?.result, verdict),
            h('td', { class: 'num' }, e?.result.minFlow === null || !e ? '—' : `${formatNumber(e.result.minFlow, 3)} m³/h`),
            h('td', { class: 'num' }, e?.result.minimumLossM3 ? `${formatNumber(e.result.minimumLossM3, 2)} m³` : '—'));
        }))));
      return section;
    }

    const resize = () => chart?.resize();
    window.addEventListener('resize', resize);
    draw();
    void loadSummary();
    return {
      relabel: draw,
      unmount() {
        alive = false;
        window.removeEventListener('resize', resize);
        chart?.dispose();
        chart = null;
      },
    };
  },
};
