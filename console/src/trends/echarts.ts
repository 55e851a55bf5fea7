// ECharts, only the parts the console draws (line and bar charts, axes, tooltip, legend, zoom,
// canvas renderer), in a lazily loaded chunk: the login page and the points table never load it.
export async function loadECharts() {
  return (await import('./echarts-setup.js')).echarts;
}

export type EChartsCore = Awaited<ReturnType<typeof loadECharts>>;
export type EChartsInstance = ReturnType<EChartsCore['init']>;

/** Dark, calm chart theme shared by trends, the room panel and the dashboard. */
export const CHART_TEXT = '#c9d0d8';
export const CHART_LINE = '#343b46';
/** Series colours: data, not alarms — so none of them is a priority colour. */
export const SERIES_COLOURS = ['#9ec5ff', '#c8b6ff', '#8fd3c7', '#f2c6a0', '#d0d0d0', '#a4c8a0', '#e0a8c8', '#b0b8ff'];
