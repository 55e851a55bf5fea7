// #/control/lighting — lighting zones per floor: on/off (and dim where the circuit has a dimmer)
// as level-8 commands, what holds each zone (after-hours sweep, re-enable, override), "re-enable"
// during the sweep's hold, and the lamp faults that need the maintainer.
import { can } from '../../../../contracts/auth.js';
import type { PointView, SiteTree } from '../../../../contracts/api.js';
import { h } from '../../dom.js';
import { formatNumber, localized, t, type MessageKey } from '../../i18n.js';
import type { ViewModule } from '../view.js';
import { checkAnalogInput } from '../write-control.js';
import type { LampFault, LightingZone, Slot } from './control-api.js';
import { clientOf, formatRemaining, formatTime, messageOf, renderTabs } from './control-common.js';
import './control.css';

const REFRESH_MS = 5_000;

export function floorName(site: SiteTree, key: string): string {
  for (const b of site.buildings) for (const f of b.floors) if (f.key === key) return `${localized(b.name)} · ${localized(f.name)}`;
  return key;
}

/** What holds a zone in its state, worded for the table. */
export function holdText(zone: LightingZone, slot: Slot | undefined, now: number): string {
  if (zone.effectiveLevel === 14) return t('ctl.lt.heldBySweep');
  if (zone.effectiveLevel === 13) return slot?.expiresAt ? t('ctl.lt.reenabledUntil', { time: formatTime(slot.expiresAt), remaining: formatRemaining(slot.expiresAt, now) }) : t('ctl.lt.reenabled');
  if (zone.effectiveLevel !== null && zone.effectiveLevel <= 8) return slot?.expiresAt ? t('ctl.lt.overrideUntil', { level: zone.effectiveLevel, remaining: formatRemaining(slot.expiresAt, now) }) : t('ctl.lt.override', { level: zone.effectiveLevel });
  if (zone.effectiveLevel !== null) return t('ctl.lt.heldAt', { level: zone.effectiveLevel });
  return '';
}

const DIM_LIMITS = { min: 0, max: 100 };

export const lightingView: ViewModule = {
  id: 'control-lighting',
  mount(container, _params, ctx) {
    const client = clientOf(ctx);
    const mayWrite = can(ctx.session.permissions, 'points:write');
    const maySweep = can(ctx.session.permissions, 'schedules:edit');
    let zones: LightingZone[] = [];
    let faults: LampFault[] = [];
    let slots = new Map<string, Slot>();
    let status: { kind: string; text: () => string } = { kind: '', text: () => t('ctl.loading') };
    let loaded = false;
    let alive = true;
    /** The panels' points (circuit names, dim levels), by id: names instead of zone ids. */
    let panelPoints = new Map<string, PointView>();
    const zoneName = (z: LightingZone) => localized(panelPoints.get(z.circuit)?.name) || z.id;
    const dimLevel = (z: LightingZone): number | null => {
      const v = z.dim ? panelPoints.get(z.dim)?.state?.value : undefined;
      return typeof v === 'number' ? v : null;
    };

    async function refresh() {
      try {
        const [z, f, o] = await Promise.all([client.lightingZones(), client.lightingFaults(), client.overrides()]);
        if (!alive) return;
        panelPoints = await loadPanelPoints(z.items);
        if (!alive) return;
        zones = z.items;
        faults = f.items;
        // The strongest live slot per circuit (the overrides list is sorted by point, then level).
        slots = new Map();
        for (const s of o.items) if (!slots.has(s.pointId)) slots.set(s.pointId, s);
        if (!loaded) status = { kind: '', text: () => '' };
        loaded = true;
        // Do not rebuild the table under someone typing a dim level; the next refresh draws.
        const focused = document.activeElement;
        if (focused instanceof HTMLInputElement && page.contains(focused)) return;
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('view.loadFailed', { message: text }) };
      }
      draw();
    }

    /** The points of the lighting panels the zones are on (one request per panel, not per floor). */
    async function loadPanelPoints(list: LightingZone[]): Promise<Map<string, PointView>> {
      const prefixes = [...new Set(list.map((z) => z.circuit.slice(0, z.circuit.lastIndexOf('/') + 1)))];
      const pages = await Promise.all(prefixes.map((prefix) => ctx.api.allPoints({ prefix }).catch(() => [] as PointView[])));
      return new Map(pages.flat().map((p) => [p.id, p]));
    }

    async function act(what: () => Promise<unknown>, done: () => string) {
      try {
        await what();
        status = { kind: 'ok', text: done };
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('ctl.lt.failed', { message: text }) };
      }
      await refresh();
    }

    const page = h('div', { class: 'ctl-page', 'data-view': 'control-lighting' });
    container.replaceChildren(page);

    function draw() {
      const now = Date.now();
      const floors = new Map<string, LightingZone[]>();
      for (const z of zones) floors.set(z.floor, [...(floors.get(z.floor) ?? []), z]);
      const held = zones.filter((z) => z.effectiveLevel === 14).length;
      const sweepButton = maySweep ? h('button', { type: 'button', class: 'btn', 'data-action': 'sweep' }, t('ctl.lt.sweepNow')) : null;
      sweepButton?.addEventListener('click', () => void act(() => client.sweep(), () => t('ctl.lt.sweepDone')));
      const body = [...floors.entries()].map(([floor, list]) => h('section', { class: 'ctl-section', 'data-floor': floor },
        h('h3', {}, floorName(ctx.site, floor)),
        h('table', { class: 'ctl-table' },
          h('thead', {}, h('tr', {}, ...(['ctl.lt.zone', 'ctl.lt.kind', 'ctl.lt.state', 'ctl.lt.dimLevel', 'ctl.lt.current', 'ctl.lt.hold', ''] as const).map((k) => h('th', {}, k ? t(k) : '')))),
          h('tbody', {}, ...list.map((z) => zoneRow(z, now))))));
      page.replaceChildren(
        renderTabs(ctx.session, 'lighting'),
        h('div', { class: 'ctl-head' }, h('h2', { class: 'ctl-title' }, t('ctl.lt.title')), h('span', { class: 'ctl-sub' }, t('ctl.lt.count', { n: zones.length, on: zones.filter((z) => z.on).length }))),
        h('div', { class: `ctl-status ${status.kind}`, role: 'status', 'data-testid': 'lighting-status' }, status.text()),
        h('div', { class: 'ctl-row ctl-notice', 'data-testid': 'sweep' }, h('span', {}, t('ctl.lt.sweepStatus', { n: held })), sweepButton),
        faultList(),
        ...body);
    }

    function zoneRow(z: LightingZone, now: number): HTMLElement {
      const state = z.on === null ? h('span', { class: 'ctl-muted' }, t('ctl.unknown')) : h('span', { class: z.on ? 'lt-on' : 'lt-off' }, t(z.on ? 'ctl.on' : 'ctl.off'));
      const actions = h('td', { class: 'ctl-row' });
      if (mayWrite) {
        const on = h('button', { type: 'button', class: 'btn', 'data-action': 'on' }, t('ctl.lt.switchOn'));
        const off = h('button', { type: 'button', class: 'btn', 'data-action': 'off' }, t('ctl.lt.switchOff'));
        on.addEventListener('click', () => void act(() => client.setLighting(z.id, { on: true }), () => t('ctl.lt.switched', { zone: zoneName(z), state: t('ctl.on') })));
        off.addEventListener('click', () => void act(() => client.setLighting(z.id, { on: false }), () => t('ctl.lt.switched', { zone: zoneName(z), state: t('ctl.off') })));
        actions.append(on, off);
        if (z.dim) {
          // Starts at the dimmer's present level, so "Set" without typing changes nothing.
          const dim = h('input', { type: 'number', min: 0, max: 100, step: 5, value: dimLevel(z) ?? 100, 'aria-label': t('ctl.lt.dim'), 'data-field': 'dim' });
          const set = h('button', { type: 'button', class: 'btn', 'data-action': 'dim' }, t('ctl.lt.dimSet'));
          set.addEventListener('click', () => {
            // The console's own message with the allowed range, not the browser's (or the hub's English one).
            const raw = dim.value;
            const checked = checkAnalogInput(raw, DIM_LIMITS);
            if ('error' in checked) {
              status = { kind: 'err', text: () => {
                const again = checkAnalogInput(raw, DIM_LIMITS);
                return 'error' in again ? again.error : '';
              } };
              draw();
              return;
            }
            // The row shows the new level at once (the next refresh reads it back from the hub).
            void act(async () => {
              const result = await client.setLighting(z.id, { dim: checked.value });
              const point = z.dim ? panelPoints.get(z.dim) : undefined;
              if (point) panelPoints.set(point.id, { ...point, state: { ...(point.state ?? { id: point.id, quality: 'good', ts: Date.now() }), value: checked.value } as PointView['state'] });
              return result;
            }, () => t('ctl.lt.dimmed', { zone: zoneName(z), pct: formatNumber(checked.value, 0) }));
          });
          actions.append(h('label', {}, t('ctl.lt.dim'), dim, '%'), set);
        }
        if (z.effectiveLevel === 14) {
          const re = h('button', { type: 'button', class: 'btn primary', 'data-action': 'reenable' }, t('ctl.lt.reenable'));
          re.addEventListener('click', () => void act(() => client.reenable(z.id), () => t('ctl.lt.reenabledDone', { zone: zoneName(z) })));
          actions.append(re);
        }
      }
      const level = dimLevel(z);
      return h('tr', { 'data-zone': z.id, 'data-on': String(z.on) },
        h('td', { title: z.id }, zoneName(z)),
        h('td', {}, t(`ctl.lt.kind.${z.kind}` as MessageKey)),
        h('td', {}, state, z.fault ? h('span', { class: 'lt-fault' }, ` · ${t('ctl.lt.lampFault')}`) : null),
        h('td', { class: 'num', 'data-field': 'dim-level' }, !z.dim ? '' : level === null ? '—' : `${formatNumber(level, 0)} %`),
        h('td', { class: 'num' }, z.currentA === null ? '—' : `${formatNumber(z.currentA, 2)} A`),
        h('td', { class: 'lt-held' }, holdText(z, slots.get(z.circuit), now)),
        actions);
    }

    function faultList(): HTMLElement {
      if (!faults.length) return h('section', { class: 'ctl-section', 'data-testid': 'lamp-faults' }, h('h3', {}, t('ctl.lt.faults')), h('p', { class: 'ctl-muted' }, t('ctl.lt.noFaults')));
      return h('section', { class: 'ctl-section', 'data-testid': 'lamp-faults' }, h('h3', {}, t('ctl.lt.faults')),
        h('table', { class: 'ctl-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('ctl.lt.zone')), h('th', {}, t('ctl.lt.since')), h('th', {}, t('ctl.lt.action')))),
          h('tbody', {}, ...faults.map((f) => {
            // The hub words faults with the zone id; people read the circuit's name.
            const zone = zones.find((z) => z.id === f.zone);
            const name = zone ? zoneName(zone) : f.zone;
            return h('tr', { 'data-zone': f.zone },
              h('td', { title: f.circuit }, h('span', { class: 'lt-fault' }, name)),
              h('td', {}, formatTime(f.since)),
              h('td', {}, (localized(f.message) || t('ctl.lt.callMaintainer')).replaceAll(f.zone, name)));
          }))));
    }

    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    draw();
    return {
      relabel: draw,
      unmount() {
        alive = false;
        clearInterval(timer);
      },
    };
  },
};
