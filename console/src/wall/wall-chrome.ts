// The wall's DOM around the 3D stage: toolbar (layers, floors, explode, presets, tour), legend,
// the urgent-alarm strip and the "connection lost" overlay. Draws what wall-view-model.ts decides.
import type { BuildingPlan } from '../../../contracts/geometry.js';
import { h, setText } from '../dom.js';
import { getLocale, localized, t, type MessageKey } from '../i18n.js';
import { PRIORITY_COLOURS, PRIORITY_SHAPES } from '../scene/palette.js';
import { LAYERS, type Layer } from '../scene/room-state.js';
import { testBadge } from '../views/alarms/test-badge.js';
import type { StripItem, WallViewState } from './wall-view-model.js';

export function createWallChrome() {
  const overlay = h('div', { class: 'wall-overlay', role: 'alert', hidden: true }, h('strong'), h('span'));
  const layerButtons = LAYERS.map((layer) => h('button', { type: 'button', class: 'btn', 'data-layer': layer }));
  const floorSelect = h('div', { class: 'wall-floors' });
  const explode = h('button', { type: 'button', class: 'btn', 'data-action': 'explode' });
  const presets = (['iso', 'top', 'front'] as const).map((p) => h('button', { type: 'button', class: 'btn ghost', 'data-preset': p }));
  const tour = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'tour' });
  const legend = h('div', { class: 'wall-legend' });
  const toolbar = h('div', { class: 'wall-toolbar' }, h('div', { class: 'wall-layers' }, ...layerButtons), floorSelect, explode, ...presets, tour);
  // The strip: the most urgent alarms waiting for acknowledgement, always on top of the picture.
  const strip = h('ol', { class: 'wall-strip', 'aria-live': 'polite' });

  return {
    toolbar, overlay, legend, strip,
    relabel(vm: WallViewState) {
      for (const b of layerButtons) {
        setText(b, t(`layer.${b.dataset.layer}` as MessageKey));
        b.classList.toggle('selected', b.dataset.layer === vm.layer);
      }
      for (const b of presets) setText(b, t(`wall.view.${b.dataset.preset}` as MessageKey));
      setText(explode, vm.exploded ? t('wall.stacked') : t('wall.exploded'));
      setText(tour, vm.tourOn ? t('wall.tour', { n: vm.cycleSeconds }) : t('wall.tourOff'));
      tour.classList.toggle('selected', vm.tourOn);
    },
    drawFloors(plan: BuildingPlan | null, focused: string | null) {
      if (!plan) return;
      const buttons = [h('button', { type: 'button', class: `btn${focused === null ? ' selected' : ''}`, 'data-floor': '' }, t('wall.allFloors')),
        ...[...plan.floors].reverse().map((f) => h('button', { type: 'button', class: `btn${focused === f.id ? ' selected' : ''}`, 'data-floor': f.id }, localized(f.name)))];
      floorSelect.replaceChildren(...buttons);
    },
    drawLegend(layer: Layer) {
      const item = (cls: string, symbol: string, text: string) => h('span', { class: `legend-item ${cls}` }, h('span', { class: 'swatch' }, symbol), text);
      legend.replaceChildren(...(layer === 'alarms'
        ? (['critical', 'high', 'medium', 'low'] as const).map((p) => item(`prio-${p}`, PRIORITY_SHAPES[p], t(`prio.${p}` as MessageKey)))
        : [item('normal', '', t('wall.legend.normal')), item('low', '▼', t('wall.legend.low')), item('high', '▲', t('wall.legend.high'))]),
        item('untrusted', '⚠', t('wall.legend.untrusted')));
    },
    drawStrip(items: StripItem[]) {
      strip.hidden = items.length === 0;
      strip.replaceChildren(...items.map((a) =>
        h('li', { class: `prio-${a.priority}`, 'data-alarm': a.id, 'data-floor': a.floor, style: `--prio: ${PRIORITY_COLOURS[a.priority]}` },
          h('span', { class: 'strip-prio' }, `${PRIORITY_SHAPES[a.priority]} ${t(`prio.${a.priority}` as MessageKey)}`),
          testBadge(a.test),
          h('span', { class: 'strip-where' }, a.where),
          h('span', { class: 'strip-message' }, a.message))));
    },
    /** The overlay shows while the link is down (once there is something to be stale). */
    drawOverlay(root: HTMLElement, vm: WallViewState, hasData: boolean) {
      overlay.hidden = vm.linkUp || !hasData;
      root.classList.toggle('link-down', !vm.linkUp);
      const time = new Intl.DateTimeFormat(getLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(vm.lostSince);
      setText(overlay.children[0], t('wall.lost', { time }));
      setText(overlay.children[1], t('wall.lostHint'));
    },
  };
}
