// #/control/overrides[/<point id>] — the operator overrides in force (levels ≤ 13: who, value,
// when it ends, release) and the 16-level priority array of one point with who/when/expiry.
import { can } from '../../../../contracts/auth.js';
import type { PointInfo, PointValue } from '../../../../contracts/point.js';
import type { PointView } from '../../../../contracts/api.js';
import { h } from '../../dom.js';
import { localized, t, type MessageKey } from '../../i18n.js';
import type { ViewModule } from '../view.js';
import { askSecurityReason, checkAnalogInput } from '../write-control.js';
import type { PriorityView, Slot } from './control-api.js';
import { clientOf, formatKind, formatRemaining, formatTime, messageOf, renderTabs } from './control-common.js';
import './control.css';

const REFRESH_MS = 10_000;

/** Level names the hub uses (docs/control.md); other levels have none. */
export function levelLabel(level: number): string {
  const known = [1, 2, 5, 6, 8, 13, 14, 15, 16];
  return known.includes(level) ? `${level} · ${t(`ctl.level.${level}` as MessageKey)}` : String(level);
}

/** A typed command value: true/false/on/off, a number, else the text itself. */
export function parseCommandValue(raw: string): PointValue {
  const text = raw.trim();
  if (/^(true|on)$/i.test(text)) return true;
  if (/^(false|off)$/i.test(text)) return false;
  const n = Number(text.replace(',', '.'));
  if (text !== '' && Number.isFinite(n)) return n;
  return text;
}

/** The hub's longest expiry of a command, minutes (7 days). */
export const MAX_EXPIRY_MIN = 7 * 24 * 60;

/**
 * Checks the command form before anything is sent, in the console's language: the value against
 * the point (kind, limits with the allowed range, states), the level 1..16, the duration. The point
 * may be unknown (list not loaded yet): then only the form's own fields are checked. Pure.
 */
export function checkCommandForm(
  point: Pick<PointInfo, 'kind' | 'limits' | 'states'> | undefined,
  raw: { value: string; level: string; expiry: string },
): { value: PointValue; level: number; expiresInMin?: number } | { error: string } {
  if (raw.value.trim() === '') return { error: t('ctl.ov.needValue') };
  let value = parseCommandValue(raw.value);
  if (point?.kind === 'analog') {
    const checked = checkAnalogInput(raw.value, point.limits);
    if ('error' in checked) return checked;
    value = checked.value;
  } else if (point?.kind === 'binary' && typeof value !== 'boolean') {
    return { error: t('ctl.ov.notBinary') };
  } else if (point?.kind === 'multistate') {
    const states = point.states ?? {};
    const key = Object.keys(states).find((k) => k === String(value) || Object.values(states[k] ?? {}).some((label) => label.toLowerCase() === raw.value.trim().toLowerCase()));
    if (point.states && key === undefined) return { error: t('ctl.ov.notAState', { value: raw.value.trim(), states: Object.entries(states).map(([k, label]) => `${k} ${localized(label)}`).join(', ') }) };
    if (key !== undefined) value = Number(key);
  }
  const level = Number(raw.level);
  if (raw.level.trim() === '' || !Number.isInteger(level) || level < 1 || level > 16) return { error: t('ctl.ov.badLevel') };
  if (raw.expiry.trim() === '') return { value, level };
  const minutes = Number(raw.expiry.replace(',', '.'));
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_EXPIRY_MIN) return { error: t('ctl.ov.badExpiry', { max: MAX_EXPIRY_MIN }) };
  return { value, level, expiresInMin: minutes };
}

export const overridesView: ViewModule = {
  id: 'control-overrides',
  mount(container, params, ctx) {
    const client = clientOf(ctx);
    const mayWrite = can(ctx.session.permissions, 'points:write');
    let slots: Slot[] = [];
    let inspected: PriorityView | null = null;
    let inspectId = params.arg ?? '';
    let status: { kind: string; text: () => string } = { kind: '', text: () => t('ctl.loading') };
    let points = new Map<string, PointView>();
    let timer: ReturnType<typeof setInterval> | null = null;
    let alive = true;

    const nameOf = (id: string) => {
      const p = points.get(id);
      return p ? localized(p.name) : '';
    };

    async function refresh() {
      try {
        const [list, view] = await Promise.all([client.overrides(), inspectId ? client.priority(inspectId) : Promise.resolve(null)]);
        if (!alive) return;
        slots = list.items;
        inspected = view;
        if (status.kind === 'err-load' || status.text() === t('ctl.loading')) status = { kind: '', text: () => '' };
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err-load', text: () => t('view.loadFailed', { message: text }) };
      }
      draw();
    }

    async function release(pointId: string, level: number) {
      const info = points.get(pointId);
      const confirmation = info ? askSecurityReason(info) : undefined;
      if (confirmation === null) return;
      try {
        const out = await client.release(pointId, level, confirmation);
        status = { kind: 'ok', text: () => t('ctl.ov.released', { point: pointId, level, value: formatKind(out.effective.value) }) };
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('ctl.ov.releaseFailed', { message: text }) };
      }
      await refresh();
    }

    const page = h('div', { class: 'ctl-page', 'data-view': 'control-overrides' });
    container.replaceChildren(page);
    const pointList = h('datalist', { id: 'ctl-writable-points' });
    const inspectInput = h('input', { type: 'text', list: 'ctl-writable-points', value: inspectId, 'data-field': 'inspect-point', size: 60 });
    const commandValue = h('input', { type: 'text', 'data-field': 'command-value', size: 8 });
    const commandLevel = h('input', { type: 'number', min: 1, max: 16, value: 8, 'data-field': 'command-level' });
    const commandExpiry = h('input', { type: 'number', min: 1, value: 120, 'data-field': 'command-expiry' });

    function draw() {
      const now = Date.now();
      const rows = slots.map((s) => {
        const button = mayWrite ? h('button', { type: 'button', class: 'btn', 'data-action': 'release' }, t('ctl.ov.release')) : null;
        button?.addEventListener('click', () => void release(s.pointId, s.level));
        const inspect = h('a', { href: `#/control/overrides/${encodeURIComponent(s.pointId)}`, 'data-action': 'inspect' }, t('ctl.ov.inspect'));
        return h('tr', { 'data-point-id': s.pointId, 'data-level': s.level },
          h('td', {}, h('div', {}, nameOf(s.pointId)), h('div', { class: 'ctl-muted' }, s.pointId)),
          h('td', { class: 'num' }, formatKind(s.value)),
          h('td', {}, levelLabel(s.level)),
          h('td', {}, s.user),
          h('td', {}, formatTime(s.setAt)),
          h('td', { 'data-field': 'expires' }, s.expiresAt === null ? t('ctl.noExpiry') : `${formatTime(s.expiresAt)} (${formatRemaining(s.expiresAt, now)})`),
          h('td', {}, s.note ?? ''),
          h('td', {}, inspect, ' ', button));
      });
      const table = slots.length
        ? h('table', { class: 'ctl-table', 'data-testid': 'overrides' },
          h('thead', {}, h('tr', {}, ...(['ctl.point', 'ctl.value', 'ctl.level', 'ctl.who', 'ctl.ov.setAt', 'ctl.ov.ends', 'ctl.note', ''] as const).map((k) => h('th', {}, k ? t(k) : '')))),
          h('tbody', {}, ...rows))
        : h('p', { class: 'ctl-muted', 'data-testid': 'no-overrides' }, t('ctl.ov.none'));
      page.replaceChildren(
        renderTabs(ctx.session, 'overrides'),
        h('div', { class: 'ctl-head' }, h('h2', { class: 'ctl-title' }, t('ctl.ov.title')), h('span', { class: 'ctl-sub' }, t('ctl.ov.sub'))),
        h('div', { class: `ctl-status ${status.kind.startsWith('err') ? 'err' : status.kind}`, role: 'status', 'data-testid': 'overrides-status' }, status.text()),
        table,
        inspector());
    }

    function inspector(): HTMLElement {
      const go = h('button', { type: 'submit', class: 'btn' }, t('ctl.ov.inspect'));
      const form = h('form', { class: 'ctl-row' }, h('label', {}, t('ctl.point'), inspectInput), go, pointList);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        location.hash = `#/control/overrides/${encodeURIComponent(inspectInput.value.trim())}`;
      });
      const section = h('section', { class: 'ctl-section', 'data-testid': 'priority-inspector' }, h('h3', {}, t('ctl.ov.inspector')), form);
      if (!inspected) return section;
      const view = inspected;
      const now = Date.now();
      section.append(h('p', { class: 'ctl-sub', 'data-testid': 'effective' },
        t('ctl.ov.effective', { value: formatKind(view.effective.value), level: view.effective.level === null ? t('ctl.ov.default') : String(view.effective.level), fallback: formatKind(view.relinquishDefault) })));
      section.append(h('table', { class: 'ctl-table' },
        h('thead', {}, h('tr', {}, ...(['ctl.level', 'ctl.value', 'ctl.who', 'ctl.ov.setAt', 'ctl.ov.ends', 'ctl.note', ''] as const).map((k) => h('th', {}, k ? t(k) : '')))),
        h('tbody', {}, ...view.levels.map((l) => {
          const button = mayWrite && !l.empty ? h('button', { type: 'button', class: 'btn ghost', 'data-action': 'release-level' }, t('ctl.ov.release')) : null;
          button?.addEventListener('click', () => void release(view.pointId, l.level));
          return h('tr', { class: view.effective.level === l.level ? 'active' : '', 'data-level': l.level, 'data-empty': String(l.empty) },
            h('td', {}, levelLabel(l.level)),
            h('td', { class: 'num' }, l.empty ? '—' : formatKind(l.value)),
            h('td', {}, l.user ?? ''),
            h('td', {}, l.setAt ? formatTime(l.setAt) : ''),
            h('td', {}, l.empty ? '' : l.expiresAt === null ? t('ctl.noExpiry') : `${formatTime(l.expiresAt)} (${formatRemaining(l.expiresAt, now)})`),
            h('td', {}, l.note ?? ''),
            h('td', {}, button));
        }))));
      if (mayWrite) section.append(commandForm(view.pointId));
      return section;
    }

    function commandForm(pointId: string): HTMLElement {
      const send = h('button', { type: 'submit', class: 'btn primary' }, t('ctl.ov.command'));
      // novalidate: checkCommandForm says what is wrong in the console's language, not the browser's.
      const form = h('form', { class: 'ctl-row', 'data-testid': 'command-form', novalidate: true },
        h('label', {}, t('ctl.value'), commandValue), h('label', {}, t('ctl.level'), commandLevel), h('label', {}, t('ctl.ov.expiresIn'), commandExpiry), send);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const raw = { value: commandValue.value, level: commandLevel.value, expiry: commandExpiry.value };
        const checked = checkCommandForm(points.get(pointId), raw);
        if ('error' in checked) {
          // A function, so a language switch re-renders the reason in the new language.
          status = { kind: 'err', text: () => {
            const again = checkCommandForm(points.get(pointId), raw);
            return 'error' in again ? again.error : '';
          } };
          draw();
          return;
        }
        const info = points.get(pointId);
        const confirmation = info ? askSecurityReason(info) : undefined;
        if (confirmation === null) return;
        void client.command(pointId, { ...checked, ...confirmation })
          .then((out) => {
            status = { kind: out.confirmed === false ? 'warn' : 'ok', text: () => t('ctl.ov.commanded', { level: out.level, value: formatKind(out.effective.value), winner: out.effective.level ?? '—' }) + (out.detail ? ` — ${out.detail}` : '') };
          })
          .catch((err) => {
            const text = messageOf(err);
            status = { kind: 'err', text: () => t('ctl.ov.commandFailed', { message: text }) };
          })
          .finally(() => void refresh());
      });
      return form;
    }

    // Point names for the table and the picker; the page works without them.
    void client.writablePoints().then((list) => {
      if (!alive) return;
      points = new Map(list.map((p) => [p.id, p]));
      pointList.replaceChildren(...list.map((p) => h('option', { value: p.id }, localized(p.name))));
      draw();
    }).catch(() => undefined);
    void refresh();
    timer = setInterval(() => void refresh(), REFRESH_MS);
    draw();
    return {
      update(next) {
        inspectId = next.arg ?? '';
        inspectInput.value = inspectId;
        inspected = null;
        void refresh();
        return true;
      },
      relabel: draw,
      unmount() {
        alive = false;
        if (timer) clearInterval(timer);
      },
    };
  },
};
