// A trend of a few points on one shared time axis: range presets (1 h, 24 h, 7 d, custom),
// zoom (dataZoom), comparison with the period before, CSV and PNG export. Used by the room
// panel and the trends page. ECharts itself is loaded on first use.
import type { HistoryResponse } from '../../../contracts/api.js';
import type { LocalizedText } from '../../../contracts/point.js';
import { h, setText } from '../dom.js';
import { getLocale, localized, t, type MessageKey } from '../i18n.js';
import { CHART_LINE, CHART_TEXT, SERIES_COLOURS, loadECharts, type EChartsInstance } from './echarts.js';
import { RANGE_MS, fetchHistory, fetchHistoryCsv, type RangePreset } from './history-client.js';

export interface TrendPoint {
  id: string;
  name: LocalizedText;
  unit?: string;
}

export interface TrendChart {
  element: HTMLElement;
  setPoints(points: TrendPoint[]): void;
  relabel(): void;
  /** Re-reads history for the current range (e.g. after a reconnect). */
  reload(): void;
  dispose(): void;
}

type Range = { preset: RangePreset } | { preset: 'custom'; from: number; to: number };

/**
 * Time-axis labels by tick level, 24-hour and numeric so they read the same in en and zh-CN:
 * seconds only when the ticks are seconds apart, the date only where the day changes.
 */
const TIME_AXIS_LABELS = {
  year: '{yyyy}',
  month: '{yyyy}-{MM}',
  day: '{MM}-{dd}',
  hour: '{HH}:{mm}',
  minute: '{HH}:{mm}',
  second: '{HH}:{mm}:{ss}',
  millisecond: '{HH}:{mm}:{ss}',
  none: '{yyyy}-{MM}-{dd} {HH}:{mm}',
};

/** The time window of a range, ending now for presets. */
export function rangeWindow(range: Range, now: number): { from: number; to: number } {
  if (range.preset === 'custom') return { from: range.from, to: range.to };
  return { from: now - RANGE_MS[range.preset], to: now };
}

/** Series for ECharts: one per point, plus (compare) the period before shifted onto the same axis. */
export function buildSeries(current: HistoryResponse, previous: HistoryResponse | null, names: Map<string, string>, shiftMs: number) {
  const series: Array<{ name: string; type: 'line'; showSymbol: boolean; data: Array<[number, number]>; lineStyle?: { type: 'dashed'; opacity: number }; yAxisIndex: number }> = [];
  const units = [...new Set(current.series.map((s) => s.unit ?? ''))];
  for (const s of current.series) {
    const name = names.get(s.pointId) ?? s.pointId;
    const yAxisIndex = Math.min(1, units.indexOf(s.unit ?? ''));
    series.push({ name, type: 'line', showSymbol: false, data: s.points, yAxisIndex });
    const before = previous?.series.find((p) => p.pointId === s.pointId);
    if (before) {
      series.push({
        name: t('trend.previous', { name }), type: 'line', showSymbol: false, yAxisIndex,
        data: before.points.map(([ts, v]) => [ts + shiftMs, v]), lineStyle: { type: 'dashed', opacity: 0.7 },
      });
    }
  }
  return { series, units: units.slice(0, 2) };
}

export function createTrendChart(token: string, initial: TrendPoint[] = [], preset: RangePreset = '24h'): TrendChart {
  let points = initial;
  let range: Range = { preset };
  let compare = false;
  let chart: EChartsInstance | null = null;
  let disposed = false;
  let request: AbortController | null = null;
  let lastData: HistoryResponse | null = null;

  const status = h('p', { class: 'trend-status', role: 'status' });
  const plot = h('div', { class: 'trend-plot', 'data-series-points': '0' });
  const presetButtons = (['1h', '24h', '7d', 'custom'] as const).map((preset) => {
    const b = h('button', { type: 'button', class: 'btn range', 'data-range': preset });
    b.addEventListener('click', () => {
      if (preset === 'custom') {
        custom.hidden = !custom.hidden;
      } else {
        custom.hidden = true;
        range = { preset };
        void load();
      }
      drawButtons();
    });
    return b;
  });
  const fromInput = h('input', { type: 'datetime-local', name: 'from' });
  const toInput = h('input', { type: 'datetime-local', name: 'to' });
  const fromLabel = h('span');
  const toLabel = h('span');
  const apply = h('button', { type: 'button', class: 'btn' });
  const custom = h('div', { class: 'trend-custom' }, h('label', {}, fromLabel, fromInput), h('label', {}, toLabel, toInput), apply);
  custom.hidden = true;
  apply.addEventListener('click', () => {
    const from = Date.parse(fromInput.value);
    const to = Date.parse(toInput.value);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) return;
    range = { preset: 'custom', from, to };
    drawButtons();
    void load();
  });
  const compareBox = h('input', { type: 'checkbox', name: 'compare' });
  const compareLabel = h('span');
  compareBox.addEventListener('change', () => {
    compare = compareBox.checked;
    void load();
  });
  const csv = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'csv' });
  const png = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'png' });
  csv.addEventListener('click', () => void exportCsv());
  png.addEventListener('click', () => {
    if (!chart) return;
    download(chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#15181c' }), 'trend.png');
  });
  const toolbar = h('div', { class: 'trend-toolbar' }, ...presetButtons, h('label', { class: 'compare' }, compareBox, compareLabel), csv, png);
  const element = h('div', { class: 'trend' }, toolbar, custom, status, plot);

  const resizeObserver = new ResizeObserver(() => chart?.resize());
  resizeObserver.observe(plot);

  function drawButtons(): void {
    for (const b of presetButtons) {
      const preset = b.dataset.range as RangePreset | 'custom';
      setText(b, t(`range.${preset}` as MessageKey));
      b.classList.toggle('selected', range.preset === preset);
    }
  }

  function download(href: string, name: string): void {
    const a = h('a', { href, download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }

  async function exportCsv(): Promise<void> {
    if (!points.length) return;
    let csv: string;
    try {
      csv = await fetchHistoryCsv({ points: points.map((p) => p.id), ...rangeWindow(range, Date.now()) }, token);
    } catch (err) {
      return setText(status, t('trend.error', { message: (err as Error).message }));
    }
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    download(url, 'trend.csv');
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function load(): Promise<void> {
    request?.abort();
    if (!points.length) {
      chart?.clear();
      plot.dataset.seriesPoints = '0';
      return;
    }
    const controller = new AbortController();
    request = controller;
    setText(status, t('trend.loading'));
    try {
      const window = rangeWindow(range, Date.now());
      const ids = points.map((p) => p.id);
      const span = window.to - window.from;
      const [current, previous] = await Promise.all([
        fetchHistory({ points: ids, ...window }, token, controller.signal),
        compare ? fetchHistory({ points: ids, from: window.from - span, to: window.to - span }, token, controller.signal) : Promise.resolve(null),
      ]);
      if (disposed || request !== controller) return;
      lastData = current;
      await draw(current, previous, span, window);
      const total = current.series.reduce((s, x) => s + x.points.length, 0);
      plot.dataset.seriesPoints = String(total);
      setText(status, total ? '' : t('trend.empty'));
    } catch (err) {
      if ((err as Error).name === 'AbortError' || disposed) return;
      setText(status, t('trend.error', { message: (err as Error).message }));
    }
  }

  async function draw(current: HistoryResponse, previous: HistoryResponse | null, span: number, window: { from: number; to: number }): Promise<void> {
    if (!chart) {
      const echarts = await loadECharts();
      if (disposed) return;
      chart = echarts.init(plot, undefined, { renderer: 'canvas' });
    }
    const names = new Map(points.map((p) => [p.id, localized(p.name)]));
    const { series, units } = buildSeries(current, previous, names, span);
    const axisStyle = { axisLine: { lineStyle: { color: CHART_LINE } }, splitLine: { lineStyle: { color: CHART_LINE } }, axisLabel: { color: CHART_TEXT } };
    chart.setOption({
      color: SERIES_COLOURS,
      backgroundColor: 'transparent',
      textStyle: { color: CHART_TEXT, fontSize: 14 },
      grid: { left: 56, right: units.length > 1 ? 56 : 20, top: 40, bottom: 70 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toLocaleString(getLocale(), { maximumFractionDigits: 2 }) : String(v)) },
      legend: { top: 0, textStyle: { color: CHART_TEXT } },
      // The axis spans the range asked for, not the data: "24 h" with 20 minutes of history shows
      // 20 minutes of line and 23 h 40 min of gap, never a 20-minute axis labelled as a day.
      xAxis: { type: 'time', min: window.from, max: window.to, ...axisStyle, axisLabel: { color: CHART_TEXT, hideOverlap: true, formatter: TIME_AXIS_LABELS } },
      yAxis: (units.length ? units : ['']).map((unit) => ({ type: 'value', name: unit, scale: true, nameTextStyle: { color: CHART_TEXT }, ...axisStyle })),
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 22, bottom: 12, textStyle: { color: CHART_TEXT } }],
      series,
    }, { notMerge: true });
  }

  function relabel(): void {
    drawButtons();
    setText(fromLabel, t('range.from'));
    setText(toLabel, t('range.to'));
    setText(apply, t('range.apply'));
    setText(compareLabel, t('trend.compare'));
    setText(csv, t('trend.csv'));
    setText(png, t('trend.png'));
    if (lastData && chart) void load();
  }

  relabel();
  void load();
  return {
    element,
    setPoints(next) {
      points = next;
      void load();
    },
    relabel,
    reload: () => void load(),
    dispose() {
      disposed = true;
      request?.abort();
      resizeObserver.disconnect();
      chart?.dispose();
      chart = null;
    },
  };
}
