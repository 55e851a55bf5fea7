// The PA record card of #/testruns: the last broadcasts each simulated amplifier received (zone,
// codec, packets, length, receiver jitter p99, gaps, marker bit), from GET /api/testruns/pa-record,
// which the hub reads through the simulators' control channel.
import type { PaRecordEntry, PaRecordView } from '../../../../contracts/pa.js';
import { hubJson, type HubEndpoint } from '../../api.js';
import { h } from '../../dom.js';
import { formatDateTime, getLocale } from '../../i18n.js';
import { paText } from './pa-record-text.js';

/** Paging target at the receiver (issue 17): p99 of |arrival gap − 20 ms| ≤ 5 ms. */
export const JITTER_TARGET_MS = 5;

/** Shown values of one row; pure, so it is table-tested. */
export function paRowCells(e: PaRecordEntry): { jitter: string; jitterBad: boolean; duration: string; marker: string; markerBad: boolean } {
  return {
    jitter: `${e.jitterP99Ms.toFixed(1)} ms`,
    jitterBad: e.jitterP99Ms > JITTER_TARGET_MS,
    duration: `${(e.durationMs / 1000).toFixed(1)} s`,
    marker: e.firstMarked ? `✓ ${e.markers}` : `✗ ${e.markers}`,
    markerBad: !e.firstMarked || e.markers !== 1,
  };
}

export interface PaRecordCard {
  refresh(): Promise<void>;
  render(): HTMLElement;
}

export function paRecordCard(hub: HubEndpoint): PaRecordCard {
  let items: PaRecordEntry[] | null = null;
  let error = '';
  return {
    async refresh() {
      try {
        items = (await hubJson<PaRecordView>(hub, 'GET', '/api/testruns/pa-record')).items;
        error = '';
      } catch (err) {
        error = (err as Error).message;
      }
    },
    render() {
      const head = h('tr', {}, ...(['time', 'zone', 'codec', 'packets', 'duration', 'jitter', 'gaps', 'markers', 'lost'] as const)
        .map((k) => h('th', { class: `pa-col-${k}` }, paText(k))));
      const rows = (items ?? []).slice(0, 20).map((e) => {
        const c = paRowCells(e);
        return h('tr', { class: 'pa-row', 'data-zone': e.zone, 'data-codec': e.codec },
          // A phone shows the time of day only, so zone, codec and jitter fit without scrolling.
          h('td', { class: 'pa-col-time' }, h('span', { class: 'pa-long' }, formatDateTime(e.firstAt)),
            h('span', { class: 'pa-short' }, new Intl.DateTimeFormat(getLocale(), { timeStyle: 'medium' }).format(e.firstAt)),
            e.ended ? '' : h('small', { class: 'tr-muted' }, ` · ${paText('playing')}`)),
          h('td', { class: 'pa-col-zone' }, e.zone),
          h('td', { class: 'pa-col-codec' }, e.codec.toUpperCase()),
          h('td', { class: 'pa-col-packets' }, String(e.packets)),
          h('td', { class: 'pa-col-duration' }, c.duration),
          h('td', { class: `pa-col-jitter${c.jitterBad ? ' tr-bad' : ''}` }, c.jitter),
          h('td', { class: `pa-col-gaps${e.gaps ? ' tr-bad' : ''}` }, String(e.gaps)),
          h('td', { class: `pa-col-markers${c.markerBad ? ' tr-bad' : ''}` }, c.marker),
          h('td', { class: `pa-col-lost${e.lost ? ' tr-bad' : ''}` }, String(e.lost)));
      });
      return h('section', { class: 'tr-card pa-record' }, h('h2', {}, paText('heading')), h('p', { class: 'tr-muted' }, paText('hint')),
        error ? h('div', { class: 'tr-msg', role: 'alert' }, paText('error', { message: error }))
          : rows.length ? h('div', { class: 'pa-scroll' }, h('table', { class: 'tr-table pa-table' }, h('thead', {}, head), h('tbody', {}, ...rows)))
            : h('p', { class: 'tr-muted pa-none' }, paText('none')));
    },
  };
}
