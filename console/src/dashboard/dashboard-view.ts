// `#/dashboard` — the overview for leaders: energy today vs yesterday by the same time per floor
// (from /api/energy), active alarms by area, and HVAC zone temperatures against their setpoints.
import { energyMeters } from '../energy-today.js';
import { siteStartOfDay } from '../site-time.js';
import type { AlarmView } from '../../../contracts/alarms.js';
import type { PointView } from '../../../contracts/api.js';
import { h, setText } from '../dom.js';
import { localized, t } from '../i18n.js';
import { PRIORITY_COLOURS } from '../scene/palette.js';
import { isShownAlarm } from '../scene/room-state.js';
import { CHART_LINE, CHART_TEXT, loadECharts, type EChartsInstance } from '../trends/echarts.js';
import { fetchEnergy } from '../trends/history-client.js';
import type { ViewModule } from '../views/view.js';

/** kWh per floor key (`floor` segment) from per-meter totals. */
export function energyByFloor(meters: Array<{ pointId: string; total: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of meters) {
    const floor = m.pointId.split('/')[2];
    out.set(floor, (out.get(floor) ?? 0) + m.total);
  }
  return out;
}

/** Zone temperature and setpoint pairs (`zone-temp` + `zone-temp-sp` of one device). */
export function zonePairs(points: readonly PointView[]): Array<{ device: string; room: string; floor: string; temp: number | null; setpoint: number | null }> {
  const byDevice = new Map<string, { device: string; room: string; floor: string; temp: number | null; setpoint: number | null }>();
  for (const p of points) {
    const parts = p.id.split('/');
    const last = parts[5];
    if (last !== 'zone-temp' && last !== 'zone-temp-sp') continue;
    const key = parts.slice(0, 5).join('/');
    const entry = byDevice.get(key) ?? { device: parts[4], room: parts[3], floor: parts[2], temp: null, setpoint: null };
    const value = p.state && (p.state.quality === 'good' || p.state.quality === 'uncertain') && typeof p.state.value === 'number' ? p.state.value : null;
    if (last === 'zone-temp') entry.temp = value; else entry.setpoint = value;
    byDevice.set(key, entry);
  }
  return [...byDevice.values()].sort((a, b) => a.floor.localeCompare(b.floor) || a.room.localeCompare(b.room));
}

export const dashboardView: ViewModule = {
  id: 'dashboard',
  mount(container, _params, ctx) {
    const title = h('h1', { class: 'view-title' });
    const panels = (['energy', 'alarms', 'zones'] as const).map((id) => {
      const heading = h('h2');
      const plot = h('div', { class: 'dash-plot', 'data-chart': id });
      const note = h('p', { class: 'muted' });
      return { id, heading, plot, note, element: h('section', { class: 'dash-panel' }, heading, note, plot) };
    });
    container.replaceChildren(h('section', { class: 'dashboard' }, title, h('div', { class: 'dash-grid' }, ...panels.map((p) => p.element))));
    const charts = new Map<string, EChartsInstance>();
    let disposed = false;
    let points: PointView[] = [];
    let energy: { today: Map<string, number>; yesterday: Map<string, number> } | null = null;
    const alarms = new Map<string, AlarmView>();
    const building = ctx.site.buildings[0];
    const floorName = (id: string) => localized(building?.floors.find((f) => f.id === id)?.name) || id;
    const roomName = (floor: string, room: string) => localized(building?.floors.find((f) => f.id === floor)?.rooms.find((r) => r.id === room)?.name) || room;

    const chartOf = async (id: string): Promise<EChartsInstance | null> => {
      const echarts = await loadECharts();
      if (disposed) return null;
      let chart = charts.get(id);
      if (!chart) {
        chart = echarts.init(panels.find((p) => p.id === id)!.plot);
        charts.set(id, chart);
      }
      return chart;
    };
    const axis = { axisLine: { lineStyle: { color: CHART_LINE } }, splitLine: { lineStyle: { color: CHART_LINE } }, axisLabel: { color: CHART_TEXT } };
    const base = { backgroundColor: 'transparent', textStyle: { color: CHART_TEXT, fontSize: 14 }, tooltip: { trigger: 'axis' }, legend: { top: 0, textStyle: { color: CHART_TEXT } }, grid: { left: 110, right: 20, top: 36, bottom: 30 } };

    const drawEnergy = async () => {
      const chart = await chartOf('energy');
      if (!chart || !energy) return;
      const floors = [...new Set([...energy.today.keys(), ...energy.yesterday.keys()])].sort();
      chart.setOption({
        ...base,
        color: ['#9ec5ff', '#5d6673'],
        yAxis: { type: 'category', data: floors.map(floorName), ...axis },
        xAxis: { type: 'value', name: 'kWh', ...axis },
        series: [
          { name: t('dash.today'), type: 'bar', data: floors.map((f) => Math.round(energy!.today.get(f) ?? 0)) },
          { name: t('dash.yesterday'), type: 'bar', data: floors.map((f) => Math.round(energy!.yesterday.get(f) ?? 0)) },
        ],
      }, { notMerge: true });
    };
    const drawAlarms = async () => {
      const chart = await chartOf('alarms');
      if (!chart) return;
      const shown = [...alarms.values()].filter(isShownAlarm);
      const areas = [...new Set(shown.map((a) => a.area))].sort();
      setText(panels[1].note, shown.length ? '' : t('wall.noAlarms'));
      const priorities = ['critical', 'high', 'medium', 'low'] as const;
      chart.setOption({
        ...base,
        yAxis: { type: 'category', data: areas.map((a) => { const [, f, r] = a.split('/'); return `${floorName(f)} ${roomName(f, r)}`; }), ...axis },
        xAxis: { type: 'value', minInterval: 1, ...axis },
        series: priorities.map((p) => ({ name: t(`prio.${p}`), type: 'bar', stack: 'n', color: PRIORITY_COLOURS[p], data: areas.map((a) => shown.filter((x) => x.area === a && x.priority === p).length) })),
      }, { notMerge: true });
    };
    const drawZones = async () => {
      const chart = await chartOf('zones');
      if (!chart) return;
      const zones = zonePairs(points);
      chart.setOption({
        ...base,
        color: ['#9ec5ff', '#c9d0d8'],
        grid: { left: 50, right: 20, top: 36, bottom: 80 },
        xAxis: { type: 'category', data: zones.map((z) => roomName(z.floor, z.room)), ...axis, axisLabel: { color: CHART_TEXT, rotate: 35 } },
        // ±2 °C around the data: a 0.1 °C deviation should not fill the chart, nor vanish.
        yAxis: { type: 'value', name: '°C', min: (v: { min: number }) => Math.floor(v.min - 2), max: (v: { max: number }) => Math.ceil(v.max + 2), ...axis },
        series: [
          { name: t('dash.temp'), type: 'bar', data: zones.map((z) => z.temp) },
          { name: t('dash.setpoint'), type: 'line', symbol: 'diamond', symbolSize: 12, lineStyle: { width: 0 }, data: zones.map((z) => z.setpoint) },
        ],
      }, { notMerge: true });
    };

    const loadEnergy = async () => {
      const meters = energyMeters(points); // by Brick class, not by the id's last segment
      if (!meters.length) return;
      const now = Date.now();
      // "Today" is the building's day (the hub buckets energy in the site's time zone).
      const day = siteStartOfDay(now, ctx.site.timezone);
      try {
        const [today, yesterday] = await Promise.all([
          fetchEnergy(meters, day, now, 'hour', ctx.session.token),
          fetchEnergy(meters, day - 86_400_000, now - 86_400_000, 'hour', ctx.session.token),
        ]);
        energy = { today: energyByFloor(today.meters), yesterday: energyByFloor(yesterday.meters) };
        setText(panels[0].note, '');
        await drawEnergy();
      } catch (err) {
        setText(panels[0].note, t('trend.error', { message: (err as Error).message }));
      }
    };
    const loadPoints = async () => {
      try {
        points = await ctx.api.allPoints({ building: building?.id });
        await drawZones();
      } catch (err) {
        setText(panels[2].note, t('view.loadFailed', { message: (err as Error).message }));
      }
    };

    const stopAlarms = ctx.live.watchAlarms({
      onSnapshot(list) {
        alarms.clear();
        for (const a of list) alarms.set(a.id, a);
        void drawAlarms();
      },
      onUpdate(update) {
        for (const a of update.changed) {
          if (a.state === 'normal') alarms.delete(a.id); else alarms.set(a.id, a);
        }
        void drawAlarms();
      },
      onError(message) {
        setText(panels[1].note, t('trend.error', { message }));
      },
    });
    void loadPoints().then(loadEnergy);
    const timers = [setInterval(() => void loadPoints(), 15_000), setInterval(() => void loadEnergy(), 5 * 60_000)];
    const resize = () => { for (const c of charts.values()) c.resize(); };
    window.addEventListener('resize', resize);

    const relabel = () => {
      setText(title, t('dash.title'));
      setText(panels[0].heading, t('dash.energy'));
      setText(panels[1].heading, t('dash.alarmsByArea'));
      setText(panels[2].heading, t('dash.zones'));
      void drawEnergy();
      void drawAlarms();
      void drawZones();
    };
    relabel();
    return {
      relabel,
      unmount() {
        disposed = true;
        for (const timer of timers) clearInterval(timer);
        window.removeEventListener('resize', resize);
        stopAlarms();
        for (const c of charts.values()) c.dispose();
        charts.clear();
      },
    };
  },
};
