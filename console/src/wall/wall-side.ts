// The wall's side column, readable from across the room: alarms to acknowledge by priority with
// the newest messages, today's energy against yesterday by the same time, and key figures.
import { ALARM_PRIORITIES, type AlarmSummary, type AlarmView } from '../../../contracts/alarms.js';
import { h, setText } from '../dom.js';
import { formatNumber, localized, t, type MessageKey } from '../i18n.js';
import { PRIORITY_COLOURS, PRIORITY_SHAPES } from '../scene/palette.js';
import { isShownAlarm } from '../scene/room-state.js';
import { testBadge } from '../views/alarms/test-badge.js';

export interface KeyFigures {
  meanTemp: number | null;
  devicesDown: number;
  doorsOpen: number;
  lightsOn: number;
}

export interface WallSide {
  element: HTMLElement;
  setAlarms(alarms: Iterable<AlarmView>, summary: AlarmSummary | null): void;
  setEnergy(today: number | null, yesterday: number | null): void;
  setFigures(f: KeyFigures): void;
  relabel(): void;
}

/** Newest first; critical and high before the rest, at most `n`. */
export function newestAlarms(alarms: Iterable<AlarmView>, n: number): AlarmView[] {
  return [...alarms]
    .filter(isShownAlarm)
    .sort((a, b) => ALARM_PRIORITIES.indexOf(a.priority) - ALARM_PRIORITIES.indexOf(b.priority) || (b.activeSince ?? b.lastChange) - (a.activeSince ?? a.lastChange))
    .slice(0, n);
}

export function createWallSide(): WallSide {
  const alarmsHeading = h('h2');
  const counts = new Map(ALARM_PRIORITIES.map((p) => [p, h('span', { class: 'count' })]));
  const countWords = new Map(ALARM_PRIORITIES.map((p) => [p, h('span', { class: 'word' })]));
  const countRow = h('div', { class: 'wall-counts' }, ...ALARM_PRIORITIES.map((p) =>
    h('div', { class: `wall-count prio-${p}`, 'data-priority': p, style: `--prio: ${PRIORITY_COLOURS[p]}` },
      h('span', { class: 'shape' }, PRIORITY_SHAPES[p]), counts.get(p)!, countWords.get(p)!)));
  const active = h('p', { class: 'wall-active' });
  const list = h('ol', { class: 'wall-alarm-list' });
  const energyHeading = h('h2');
  const energyValue = h('p', { class: 'wall-big', 'data-figure': 'energy-today' });
  const energyBefore = h('p', { class: 'wall-sub' });
  const figuresHeading = h('h2');
  const figureRows = (['avgTemp', 'devicesDown', 'doorsOpen', 'lightsOn'] as const).map((key) => {
    const label = h('dt');
    const value = h('dd', { 'data-figure': key });
    return { key, label, value };
  });
  const element = h('aside', { class: 'wall-side' },
    h('section', { class: 'wall-alarms' }, alarmsHeading, countRow, active, list),
    h('section', { class: 'wall-energy' }, energyHeading, energyValue, energyBefore),
    h('section', { class: 'wall-figures' }, figuresHeading, h('dl', {}, ...figureRows.flatMap((r) => [r.label, r.value]))));

  let alarms: AlarmView[] = [];
  let summary: AlarmSummary | null = null;
  let energy: [number | null, number | null] = [null, null];
  let figures: KeyFigures = { meanTemp: null, devicesDown: 0, doorsOpen: 0, lightsOn: 0 };

  const drawAlarms = () => {
    for (const p of ALARM_PRIORITIES) {
      const n = summary?.unacked[p] ?? 0;
      setText(counts.get(p)!, String(n));
      counts.get(p)!.parentElement!.classList.toggle('zero', n === 0);
    }
    setText(active, summary ? t('wall.activeAlarms', { n: summary.active }) : '');
    const newest = newestAlarms(alarms, 5);
    list.replaceChildren(...(newest.length ? newest.map((a) =>
      h('li', { class: `prio-${a.priority}`, 'data-alarm': a.id, style: `--prio: ${PRIORITY_COLOURS[a.priority]}` },
        h('span', { class: 'shape' }, PRIORITY_SHAPES[a.priority]), testBadge(a.test), h('span', { class: 'msg' }, localized(a.message)))) : [h('li', { class: 'muted' }, t('wall.noAlarms'))]));
  };
  const kwh = (v: number | null) => (v === null ? '—' : `${formatNumber(v, 0)} kWh`);
  const drawEnergy = () => {
    setText(energyValue, kwh(energy[0]));
    setText(energyBefore, energy[1] === null ? '' : t('wall.vsYesterday', { value: kwh(energy[1]) }));
  };
  const drawFigures = () => {
    for (const r of figureRows) {
      const v = r.key === 'avgTemp' ? (figures.meanTemp === null ? '—' : `${formatNumber(figures.meanTemp, 1)} °C`) : String(figures[r.key]);
      setText(r.value, v);
      r.value.classList.toggle('abnormal', r.key === 'devicesDown' && figures.devicesDown > 0);
    }
  };
  const relabel = () => {
    setText(alarmsHeading, t('wall.alarmsHeading'));
    for (const p of ALARM_PRIORITIES) setText(countWords.get(p)!, t(`prio.${p}` as MessageKey));
    setText(energyHeading, t('wall.energyToday'));
    setText(figuresHeading, t('wall.keyFigures'));
    for (const r of figureRows) setText(r.label, t(`wall.${r.key}` as MessageKey));
    drawAlarms();
    drawEnergy();
    drawFigures();
  };
  relabel();
  return {
    element,
    setAlarms(next, s) {
      alarms = [...next];
      summary = s;
      drawAlarms();
    },
    setEnergy(today, yesterday) {
      energy = [today, yesterday];
      drawEnergy();
    },
    setFigures(f) {
      figures = f;
      drawFigures();
    },
    relabel,
  };
}
