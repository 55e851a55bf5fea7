// The print route (#/reports/print/<token>): what the hub's Chromium turns into a PDF. It needs no
// session (the one-time token is the credential), shows the decision summary for the report's
// period plus per-day charts (ECharts, no animation), then marks itself ready for page.pdf.
import type { ReportPayload } from '../../../../contracts/reports.js';
import { hubJson } from '../../api.js';
import { h } from '../../dom.js';
import { localized, setLocale } from '../../i18n.js';
import { loadECharts } from '../../trends/echarts.js';
import { summaryCards } from '../decision/summary-dom.js';
import { dt } from '../decision/text.js';
import '../decision/decision.css';

const PALETTE = ['#2b5797', '#c0504d', '#9bbb59', '#8064a2', '#4bacc6', '#f79646', '#7f7f7f', '#1f497d'];

export async function startPrint(root: HTMLElement, token: string): Promise<void> {
  document.documentElement.classList.add('print-page');
  const page = h('div', { class: 'dv dv-print' });
  root.replaceChildren(page);
  try {
    // No session: the one-time token in the path is the credential.
    const p = await hubJson<ReportPayload>({ baseUrl: '', token: () => null }, 'GET', `/api/reports/print/${encodeURIComponent(token)}`);
    setLocale(p.lang);
    document.documentElement.lang = p.lang;
    const tz = p.summary.timezone;
    const day = (ts: number) => new Date(ts).toLocaleDateString(p.lang, { timeZone: tz });
    document.title = `${dt(p.kind)} ${day(p.from)}`;
    const charts = h('section', { class: 'dv-card dv-energy' }, h('h2', {}, dt('dailyChart')));
    page.append(
      h('header', { class: 'dv-head' },
        h('h1', { class: 'dv-title' }, dt('reportTitle', { kind: dt(p.kind), site: localized(p.siteName) })),
        h('p', { class: 'view-status' }, `${dt('periodLine', { from: day(p.from), to: day(p.to - 1) })} · ${dt('generated', { time: new Date().toLocaleString(p.lang, { timeZone: tz }) })}`)),
      charts,
      h('div', { class: 'dv-grid' }, ...summaryCards(p.summary)),
    );
    const echarts = await loadECharts();
    for (const utility of ['electricity', 'water'] as const) {
      const rows = p.daily.filter((r) => r.utility === utility);
      // Floors stacked when a building has floor meters; else the building row.
      const floors = rows.filter((r) => r.area.includes('/'));
      const series = floors.length ? floors : rows;
      if (series.length === 0) continue;
      const el = h('div', { class: 'dv-chart', 'data-utility': utility });
      charts.append(h('h3', {}, `${dt(utility)} (${series[0].unit})`), el);
      const chart = echarts.init(el, undefined, { renderer: 'canvas' });
      chart.setOption({
        animation: false, color: PALETTE,
        grid: { left: 56, right: 12, top: 28, bottom: 28 },
        legend: { top: 0, textStyle: { fontSize: 10 } },
        xAxis: { type: 'category', data: series[0].days.map(([t]) => new Date(t).toLocaleDateString(p.lang, { timeZone: tz, month: 'numeric', day: 'numeric' })), axisLabel: { fontSize: 10 } },
        yAxis: { type: 'value', axisLabel: { fontSize: 10 } },
        series: series.map((r) => ({ type: 'bar', stack: 'total', name: localized(r.name), data: r.days.map(([, v]) => v) })),
      });
    }
    page.dataset.printReady = '1';
  } catch (err) {
    page.append(h('p', { class: 'view-status' }, dt('failed', { msg: (err as Error).message })));
    page.dataset.printError = (err as Error).message;
  }
}
