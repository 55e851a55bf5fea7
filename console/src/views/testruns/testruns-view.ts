// #/testruns: scenarios started and stopped at run time, fault injection against the simulators,
// and point-to-point checkout progress per floor and device (admins and testers: testruns:run).
// Every request goes through hubJson; the hub refuses whatever the site has not enabled.
import { FAULT_KINDS, type CheckoutView, type FaultKind, type TestrunsStatus } from '../../../../contracts/testruns.js';
import { hubJson, type HubEndpoint } from '../../api.js';
import { h } from '../../dom.js';
import { formatDateTime, getLocale } from '../../i18n.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { paRecordCard } from './pa-record.js';
import { faultRequestOf, percent } from './testruns-model.js';
import { tr } from './testruns-text.js';
import './testruns.css';

export const testrunsView: ViewModule = {
  id: 'testruns',
  mount(container: HTMLElement, _params, ctx: ViewContext): MountedView {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const root = h('div', { class: 'tr-page' });
    container.replaceChildren(root);
    let status: TestrunsStatus | null = null;
    let checkout: CheckoutView | null = null;
    let message = '';
    let disposed = false;
    const pa = paRecordCard(hub);
    const form = { kind: 'leak' as FaultKind, target: 'hq/a/b1/pump-b101/leak-1/leak', value: '', duration: '60', area: '' };

    const act = async (method: string, path: string, body?: unknown) => {
      try {
        message = '';
        await hubJson(hub, method, path, body ?? {});
      } catch (err) {
        message = tr('error', { message: (err as Error).message });
      }
      await refresh();
    };

    const refresh = async () => {
      try {
        [status, checkout] = await Promise.all([hubJson<TestrunsStatus>(hub, 'GET', '/api/testruns/status'), hubJson<CheckoutView>(hub, 'GET', '/api/testruns/checkout'), pa.refresh()]);
      } catch (err) {
        message = tr('error', { message: (err as Error).message });
      }
      if (!disposed) render();
    };

    const bar = (pct: number, bad: boolean) => h('div', { class: 'tr-bar', role: 'progressbar', 'aria-valuenow': pct }, h('span', { class: bad ? 'tr-bar-bad' : '', style: `width:${pct}%` }));

    const scenarios = () => {
      const s = status!;
      const running = s.runs.filter((r) => r.state === 'running');
      return h('section', { class: 'tr-card' }, h('h2', {}, tr('sc.heading')),
        h('ul', { class: 'tr-list' }, ...s.scenarios.map((sc) => h('li', {},
          h('div', {}, h('b', {}, sc.name), h('small', {}, ` · ${sc.simulator}`), h('div', { class: 'tr-muted' }, sc.description)),
          h('button', { type: 'button', onclick: () => void act('POST', `/api/testruns/scenarios/${encodeURIComponent(sc.name)}/start`, { timeScale: 10 }) }, tr('sc.start'))))),
        h('h3', {}, tr('sc.running')),
        running.length ? h('ul', { class: 'tr-list' }, ...running.map((r) => h('li', {}, h('span', {}, `${r.scenario} (${r.id})`), h('button', { type: 'button', onclick: () => void act('POST', `/api/testruns/runs/${r.id}/stop`) }, tr('sc.stop'))))) : h('p', { class: 'tr-muted' }, tr('sc.none')));
    };

    const faults = () => {
      const s = status!;
      const kind = h('select', { onchange: (e) => (form.kind = (e.target as HTMLSelectElement).value as FaultKind) }, ...FAULT_KINDS.map((k) => h('option', { value: k, selected: k === form.kind }, k)));
      const field = (label: string, key: 'target' | 'value' | 'duration', wide = false) =>
        h('label', { class: wide ? 'tr-wide' : '' }, label, h('input', { value: form[key], oninput: (e) => (form[key] = (e.target as HTMLInputElement).value) }));
      const inject = () => {
        const req = faultRequestOf(form.kind, form.target, form.value, form.duration);
        if (req) void act('POST', '/api/testruns/faults', req);
      };
      return h('section', { class: 'tr-card' }, h('h2', {}, tr('f.heading')),
        h('div', { class: 'tr-form' }, h('label', {}, tr('f.kind'), kind), field(tr('f.target'), 'target', true), field(tr('f.value'), 'value'), field(tr('f.duration'), 'duration'),
          h('button', { type: 'button', class: 'tr-primary', onclick: inject }, tr('f.inject'))),
        s.faults.length ? h('ul', { class: 'tr-list' }, ...s.faults.map((f) => h('li', {},
          h('div', {}, h('span', { class: 'tr-tag' }, 'TEST'), ` ${f.kind} · ${f.target}`, h('div', { class: 'tr-muted' }, `${tr('f.by', { user: f.by })} · ${formatDateTime(f.startedAt)}${f.error ? ` · ${f.error}` : ''}`)),
          h('button', { type: 'button', onclick: () => void act('POST', `/api/testruns/faults/${f.id}/clear`) }, tr('f.clear'))))) : h('p', { class: 'tr-muted' }, tr('f.none')),
        h('button', { type: 'button', class: 'tr-danger', onclick: () => void act('POST', '/api/testruns/stop-all') }, tr('f.stopAll')));
    };

    const checkoutCard = () => {
      const c = checkout;
      const floors = ctx.site.buildings.flatMap((b) => b.floors.map((f) => ({ key: `${b.id}/${f.id}`, name: f.name })));
      const area = h('select', { onchange: (e) => (form.area = (e.target as HTMLSelectElement).value) }, h('option', { value: '' }, tr('co.all')), ...floors.map((f) => h('option', { value: f.key, selected: f.key === form.area }, f.name[getLocale() === 'zh-CN' ? 'zh-CN' : 'en'] ?? f.key)));
      const running = c?.state === 'running';
      return h('section', { class: 'tr-card tr-checkout' }, h('h2', {}, tr('co.heading')), h('p', { class: 'tr-muted' }, tr('co.hint')),
        h('div', { class: 'tr-form' }, h('label', {}, tr('co.area'), area),
          running ? h('button', { type: 'button', onclick: () => void act('POST', '/api/testruns/checkout/stop') }, tr('co.stop'))
            : h('button', { type: 'button', class: 'tr-primary', onclick: () => void act('POST', '/api/testruns/checkout/start', form.area ? { area: form.area } : {}) }, tr('co.start')),
          c?.state === 'done' && !c.signedOff ? h('button', { type: 'button', onclick: () => void act('POST', '/api/testruns/checkout/sign-off', {}) }, tr('co.signOff')) : null),
        !c || c.state === 'idle' ? h('p', { class: 'tr-muted' }, tr('co.idle')) : h('div', {},
          h('p', {}, tr('co.progress', { done: c.done, total: c.total, pass: c.pass, fail: c.fail, skipped: c.skipped })), bar(percent(c), c.fail > 0),
          c.signedOff ? h('p', { class: 'tr-ok' }, tr('co.signed', { user: c.signedOff.by, time: formatDateTime(c.signedOff.at) })) : null,
          h('h3', {}, tr('co.floors')),
          h('table', { class: 'tr-table' }, ...c.floors.map((g) => h('tr', {}, h('td', {}, g.key), h('td', { class: 'tr-bar-cell' }, bar(percent(g), g.fail > 0)), h('td', {}, `${g.pass}/${g.total}`), h('td', { class: g.fail ? 'tr-bad' : '' }, String(g.fail))))),
          h('h3', {}, tr('co.devices')),
          h('table', { class: 'tr-table' }, ...c.devices.filter((g) => g.fail > 0).slice(0, 30).map((g) => h('tr', {}, h('td', {}, g.key), h('td', {}, `${g.pass}/${g.total}`), h('td', { class: 'tr-bad' }, String(g.fail))))),
          h('p', { class: 'tr-muted' }, tr('co.report'))));
    };

    const render = () => {
      const s = status;
      root.replaceChildren(h('h1', {}, tr('title')),
        message ? h('div', { class: 'tr-msg', role: 'alert' }, message) : '',
        !s ? '' : !s.enabled ? h('div', { class: 'tr-msg' }, tr('disabled', { reason: s.reason ?? '' }))
          : h('div', {}, s.reason ? h('div', { class: 'tr-msg' }, tr('unreachable', { reason: s.reason })) : h('p', { class: 'tr-muted' }, tr('simulated', { n: s.simulated.length })),
            h('div', { class: 'tr-grid' }, scenarios(), faults()), checkoutCard(), pa.render()));
    };

    void refresh();
    const timer = setInterval(() => void refresh(), 2000);
    return {
      relabel: render,
      unmount() {
        disposed = true;
        clearInterval(timer);
      },
    };
  },
};
