// The decision summary as DOM, shared by the decision view (desk and phone) and the print page
// (PDF). Every figure is a link to its source: the order, the alarm, the meter trend.
import type { DecisionSummary, EnergyRow, PeriodFigure } from '../../../../contracts/reports.js';
import { h } from '../../dom.js';
import { localized } from '../../i18n.js';
import { fmtAmount, fmtPct, progress, tone, wastefulRooms } from './model.js';
import { dt } from './text.js';

const link = (href: string, ...children: Array<Node | string>) => h('a', { href, class: 'dv-link' }, ...children);
const card = (cls: string, title: string, ...children: Array<Node | string | null>) => h('section', { class: `dv-card ${cls}` }, h('h2', {}, title), ...children);
const stat = (label: string, value: string, href: string, cls = '') => link(href, h('span', { class: `dv-stat ${cls}` }, h('b', {}, value), h('small', {}, label)));

function nowCard(s: DecisionSummary): HTMLElement {
  const n = s.now;
  const list = h('ul', { class: 'dv-list' });
  for (const a of n.criticalAlarms) list.append(h('li', { class: 'bad' }, link(a.href, localized(a.message)), h('small', {}, ` · ${a.acked ? dt('acked') : dt('unacked')}`)));
  for (const e of n.emergencies) list.append(h('li', { class: 'bad' }, link(e.href, `#${e.id} ${e.title}`), h('small', {}, ` · ${e.area}`)));
  for (const b of n.notCurrent) list.append(h('li', { class: 'warn' }, link(b.href, localized(b.name)), h('small', {}, ` · ${dt('staleOf', { stale: b.stale, points: b.points })}`)));
  const clear = n.criticalCount + n.emergencies.length + n.notCurrent.length === 0;
  return card('dv-now', dt('now'),
    h('div', { class: 'dv-stats' },
      stat(dt('critical'), String(n.criticalCount), '#/alarms', n.criticalCount ? 'bad' : 'ok'),
      stat(dt('emergencies'), String(n.emergencies.length), '#/workorders', n.emergencies.length ? 'bad' : 'ok'),
      stat(dt('notCurrent'), String(n.notCurrent.length), n.notCurrent[0]?.href ?? '#/', n.notCurrent.length ? 'warn' : 'ok')),
    clear ? h('p', { class: 'dv-dim' }, dt('allClear')) : list);
}

function figureCell(p: PeriodFigure, unit: string, href: string): HTMLElement {
  const bar = progress(p);
  return h('td', { class: 'dv-fig' },
    link(href, h('b', {}, `${fmtAmount(p.actual)}`), h('small', {}, ` ${unit}`)),
    bar === null ? null : h('span', { class: `dv-bar ${bar > 1 ? 'bad' : ''}`, title: `${dt('target')} ${fmtAmount(p.target)}` }, h('i', { style: `width:${Math.round((bar / 1.5) * 100)}%` })),
    h('span', { class: `dv-pct ${tone(p.vsTargetPct)}`, title: `${dt('projected')} ${fmtAmount(p.projected)} / ${dt('target')} ${fmtAmount(p.target)}` }, `${dt('vsTarget')} ${fmtPct(p.vsTargetPct)}`),
    h('span', { class: `dv-pct ${tone(p.vsLastYearPct)}`, title: `${dt('lastYear')} ${fmtAmount(p.lastYear)}` }, `${dt('vsLastYear')} ${fmtPct(p.vsLastYearPct)}`),
    p.vsLastYearNormalisedPct !== undefined && p.vsLastYearNormalisedPct !== null ? h('span', { class: 'dv-pct' }, `${dt('normalised')} ${fmtPct(p.vsLastYearNormalisedPct)}`) : null,
  );
}

function energyCard(s: DecisionSummary): HTMLElement {
  const dev = h('ol', { class: 'dv-list dv-dev' });
  for (const d of s.deviations) {
    dev.append(h('li', { class: tone(d.pct) }, link(d.href, `${localized(d.name)} · ${dt(d.utility)} · ${dt(`p.${d.period}`)}`), h('b', {}, ` ${fmtPct(d.pct)}`), h('small', {}, ` ${dt(`against.${d.against}`)}`)));
  }
  const table = h('table', { class: 'dv-table' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, dt('day')), h('th', {}, dt('week')), h('th', {}, dt('month')))),
    h('tbody', {}, ...s.energy.map((r: EnergyRow) => h('tr', { class: r.area.includes('/') ? 'dv-floor' : 'dv-building', 'data-area': r.area, 'data-utility': r.utility },
      h('th', {}, link(r.href, localized(r.name)), h('small', {}, ` ${dt(r.utility)}`)),
      ...r.periods.map((p) => figureCell(p, r.unit, r.href))))));
  return card('dv-energy', dt('energy'), h('h3', {}, dt('deviations')), s.deviations.length ? dev : h('p', { class: 'dv-dim' }, dt('noDeviation')), h('div', { class: 'dv-scroll' }, table),
    s.weather.available ? null : h('p', { class: 'dv-dim' }, dt('weather', { why: s.weather.reason })));
}

function maintenanceCard(s: DecisionSummary): HTMLElement {
  const m = s.maintenance;
  if ('available' in m) return card('dv-maint', dt('maintenance'), h('p', { class: 'dv-dim' }, dt('absent', { why: m.reason })));
  return card('dv-maint', dt('maintenance'),
    h('div', { class: 'dv-stats' },
      stat(dt('open'), String(m.open), '#/workorders', ''),
      stat(dt('overdue'), String(m.overdue), m.overdueOrders[0]?.href ?? '#/workorders', m.overdue ? 'bad' : 'ok'),
      stat(dt('mttr'), m.mttrMin === null ? '—' : m.mttrMin >= 120 ? dt('hours', { n: (m.mttrMin / 60).toFixed(1) }) : dt('minutes', { n: m.mttrMin }), m.href),
      stat(dt('satisfaction'), m.satisfaction === null ? '—' : dt('of5', { n: m.satisfaction.toFixed(1) }), m.href)),
    m.overdueOrders.length ? h('ul', { class: 'dv-list' }, ...m.overdueOrders.map((o) => h('li', { class: 'bad' }, link(o.href, `#${o.id} ${o.title}`)))) : null);
}

function patrolCard(s: DecisionSummary): HTMLElement {
  const p = s.patrols;
  if (!p.available) return card('dv-patrol', dt('patrols'), h('p', { class: 'dv-dim', 'data-absent': '1' }, dt('absent', { why: p.reason })));
  return card('dv-patrol', dt('patrols'), h('div', { class: 'dv-stats' },
    stat(dt('patrolDone', { done: p.done, planned: p.planned }), p.compliancePercent === null ? '—' : `${p.compliancePercent.toFixed(1)} %`, p.href, p.missed ? 'warn' : 'ok')));
}

function alarmCard(s: DecisionSummary): HTMLElement {
  const a = s.alarmHealth;
  if ('available' in a) return card('dv-alarm', dt('alarmHealth'), h('p', { class: 'dv-dim' }, dt('absent', { why: a.reason })));
  const gradeTone = a.grade === 'very-likely-acceptable' || a.grade === 'manageable' ? 'ok' : 'bad';
  return card('dv-alarm', dt('alarmHealth'),
    h('p', { class: `dv-grade ${gradeTone}` }, dt(`g.${a.grade}`)),
    h('div', { class: 'dv-stats' },
      stat(dt('rate'), `${a.per10MinAvg.toFixed(2)} / ${a.per10MinMax}`, a.href),
      stat(dt('flood'), `${a.floodPercent.toFixed(1)} %`, a.href, a.floodPercent > 1 ? 'bad' : ''),
      stat(dt('standing'), String(a.standing.length), a.standing[0]?.href ?? a.href, a.standing.length ? 'warn' : ''),
      stat(dt('chattering'), String(a.chattering.length), a.chattering[0]?.href ?? a.href, a.chattering.length ? 'warn' : '')));
}

function roomsCard(s: DecisionSummary): HTMLElement {
  const waste = wastefulRooms(s);
  return card('dv-rooms', dt('rooms'),
    waste.length ? h('p', { class: 'warn' }, dt('wasteful', { rooms: waste.map((r) => localized(r.name)).join('、') })) : null,
    h('div', { class: 'dv-scroll' }, h('table', { class: 'dv-table' },
      h('thead', {}, h('tr', {}, h('th', {}, dt('room')), h('th', {}, dt('occupied')), h('th', {}, dt('conditioned')), h('th', {}, dt('emptyConditioned')))),
      h('tbody', {}, ...s.rooms.map((r) => h('tr', { 'data-room': r.room },
        h('th', {}, link(r.href, localized(r.name))),
        h('td', {}, dt('hours', { n: r.occupiedH.toFixed(1) })), h('td', {}, dt('hours', { n: r.conditionedH.toFixed(1) })),
        h('td', { class: r.emptyConditionedH >= 1 ? 'bad' : '' }, dt('hours', { n: r.emptyConditionedH.toFixed(1) }))))))));
}

function anomalyCard(s: DecisionSummary): HTMLElement {
  return card('dv-anomalies', dt('anomalies'), s.anomalies.length === 0 ? h('p', { class: 'dv-dim' }, dt('noAnomalies')) :
    h('ul', { class: 'dv-list' }, ...s.anomalies.map((a) => h('li', { 'data-kind': a.kind }, h('span', { class: 'dv-tag' }, dt(`k.${a.kind}`)), ' ', link(a.href, localized(a.reason))))));
}

/** The cards in reading order: what is wrong now first, then energy, then the rest. */
export function summaryCards(s: DecisionSummary): HTMLElement[] {
  return [nowCard(s), energyCard(s), maintenanceCard(s), alarmCard(s), patrolCard(s), roomsCard(s), anomalyCard(s)];
}
