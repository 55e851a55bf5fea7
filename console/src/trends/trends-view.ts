// `#/trends/:pointId?` — several points on one shared time axis, with zoom, range presets,
// comparison and CSV/PNG export (trend-chart.ts). Points are picked by name or id.
import type { PointView } from '../../../contracts/api.js';
import { h, setText } from '../dom.js';
import { localized, t } from '../i18n.js';
import type { ViewModule } from '../views/view.js';
import { createTrendChart } from './trend-chart.js';

const MAX_POINTS = 8;

/** Points whose id or name (either language) contains every word of the text. */
export function searchPoints(points: readonly PointView[], text: string, limit = 30): PointView[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return points.filter((p) => {
    const hay = `${p.id} ${p.name.en} ${p.name['zh-CN']}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  }).slice(0, limit);
}

export const trendsView: ViewModule = {
  id: 'trends',
  mount(container, params, ctx) {
    const title = h('h1', { class: 'view-title' });
    const input = h('input', { type: 'search', name: 'point-search', list: 'trend-point-options', autocomplete: 'off' });
    const options = h('datalist', { id: 'trend-point-options' });
    const add = h('button', { type: 'button', class: 'btn', 'data-action': 'add-point' });
    const message = h('p', { class: 'muted' });
    const chips = h('ul', { class: 'trend-chips' });
    const chart = createTrendChart(ctx.session.token);
    container.replaceChildren(h('section', { class: 'trends-view' }, title, h('div', { class: 'trend-picker' }, input, options, add), chips, message, chart.element));
    let all: PointView[] = [];
    let chosen: PointView[] = [];

    const drawChips = () => {
      chips.replaceChildren(...chosen.map((p) => {
        const remove = h('button', { type: 'button', class: 'btn ghost', 'aria-label': t('trends.remove', { name: localized(p.name) }) }, '×');
        remove.addEventListener('click', () => {
          chosen = chosen.filter((c) => c !== p);
          changed();
        });
        return h('li', { 'data-point-id': p.id, title: p.id }, `${localized(p.name)} · ${p.id.split('/').slice(2, 4).join('/')}`, remove);
      }));
      if (!chosen.length) setText(message, t('trends.none'));
    };
    const changed = () => {
      drawChips();
      chart.setPoints(chosen);
    };
    const addText = () => {
      const text = input.value.trim();
      if (!text) return; // nothing typed: nothing to add, nothing to complain about
      const exact = all.find((p) => p.id === text);
      const found = exact ? [exact] : searchPoints(all, text, 1);
      if (!found.length) return setText(message, t('trends.unknown', { text }));
      if (!chosen.includes(found[0]) && chosen.length < MAX_POINTS) chosen = [...chosen, found[0]];
      input.value = '';
      setText(message, '');
      changed();
    };
    add.addEventListener('click', addText);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') addText(); });
    input.addEventListener('input', () => {
      options.replaceChildren(...searchPoints(all, input.value).map((p) => h('option', { value: p.id }, localized(p.name))));
    });

    const relabel = () => {
      setText(title, t('trends.title'));
      input.placeholder = t('trends.search');
      setText(add, t('trends.add'));
      drawChips();
      chart.relabel();
    };
    relabel();
    ctx.api.allPoints({}).then((points) => {
      all = points.filter((p) => p.kind === 'analog' || p.kind === 'binary');
      const first = params.pointId ? all.find((p) => p.id === params.pointId) : undefined;
      if (first) {
        chosen = [first];
        changed();
      }
    }).catch((err: Error) => setText(message, t('view.loadFailed', { message: err.message })));

    return { relabel, unmount: () => chart.dispose() };
  },
};
