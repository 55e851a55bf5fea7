// The report archive (#/reports): every report made (scheduled or sent now), its PDF, the schedules
// from config/reports.yaml, and for admins (reports:send) a "send now" form.
import type { ReportEntry, ReportKind, ReportLang } from '../../../../contracts/reports.js';
import { hubFetch, hubJson, type HubEndpoint } from '../../api.js';
import { h, setText } from '../../dom.js';
import type { ViewModule } from '../view.js';
import { dt } from '../decision/text.js';
import '../decision/decision.css';

interface ScheduleRow { id: string; kind: ReportKind; lang: ReportLang; at: string; recipients: string[]; enabled: boolean; lastRun: number | null }

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

export const reportsView: ViewModule = {
  id: 'reports',
  mount(container, _params, ctx) {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const status = h('p', { class: 'view-status' }, dt('loading'));
    const list = h('tbody');
    const scheds = h('tbody');
    const canSend = ctx.session.permissions.includes('reports:send');
    const kind = h('select', { name: 'kind' }, ...(['daily', 'weekly', 'monthly'] as const).map((k) => h('option', { value: k }, dt(k))));
    const lang = h('select', { name: 'lang' }, h('option', { value: 'zh-CN' }, '中文'), h('option', { value: 'en' }, 'English'));
    const recipients = h('input', { name: 'recipients', type: 'text', placeholder: 'leader, admin' });
    const sendStatus = h('span', { class: 'dv-dim', role: 'status' });
    const send = h('button', { type: 'submit', class: 'btn' }, dt('sendNow'));
    const form = canSend ? h('form', { class: 'dv-card dv-send' }, h('h2', {}, dt('sendNow')),
      h('label', {}, dt('kind'), ' ', kind), ' ', h('label', {}, dt('lang'), ' ', lang), h('label', { class: 'dv-block' }, dt('recipients'), h('br'), recipients), send, ' ', sendStatus) : null;
    const root = h('div', { class: 'dv' }, h('header', { class: 'dv-head' }, h('h1', { class: 'dv-title' }, dt('archive')), status),
      h('div', { class: 'dv-grid' },
        form,
        h('section', { class: 'dv-card' }, h('h2', {}, dt('schedules')), h('div', { class: 'dv-scroll' }, h('table', { class: 'dv-table' },
          h('thead', {}, h('tr', {}, h('th', {}, dt('kind')), h('th', {}, dt('at')), h('th', {}, dt('lang')), h('th', {}, dt('recipients').split(/[（(]/)[0]), h('th', {}, dt('lastRun')))), scheds)))),
      h('section', { class: 'dv-card', style: 'margin-top:0.8rem' }, h('h2', {}, dt('archive')), h('div', { class: 'dv-scroll' }, h('table', { class: 'dv-table dv-archive' },
        h('thead', {}, h('tr', {}, h('th', {}, dt('kind')), h('th', {}, dt('period')), h('th', {}, dt('created')), h('th', {}, dt('by')), h('th', {}, dt('size')), h('th', {}, dt('render')), h('th', {}, ''))), list))));
    container.replaceChildren(root);
    let stopped = false;
    const day = (ts: number) => new Date(ts).toLocaleDateString();

    const load = async () => {
      try {
        const [entries, schedules] = await Promise.all([hubJson<ReportEntry[]>(hub, 'GET', '/api/reports/archive'), hubJson<ScheduleRow[]>(hub, 'GET', '/api/reports/schedules')]);
        if (stopped) return;
        list.replaceChildren(...(entries.length ? entries.map((e) => h('tr', { 'data-report': e.id },
          h('td', {}, `${dt(e.kind)} · ${e.lang}`), h('td', {}, `${day(e.from)} – ${day(e.to - 1)}`), h('td', {}, new Date(e.createdAt).toLocaleString()),
          h('td', {}, e.by), h('td', {}, kb(e.bytes)), h('td', {}, `${(e.renderMs / 1000).toFixed(1)} s`),
          h('td', {}, h('a', { href: e.href, target: '_blank', rel: 'noopener', class: 'dv-link' }, dt('download'))))) : [h('tr', {}, h('td', { colspan: 7, class: 'dv-dim' }, dt('emptyArchive')))]));
        scheds.replaceChildren(...schedules.map((s) => h('tr', {}, h('td', {}, `${dt(s.kind)} (${s.enabled ? dt('enabled') : dt('disabled')})`), h('td', {}, s.at), h('td', {}, s.lang), h('td', {}, s.recipients.join(', ')), h('td', {}, s.lastRun ? new Date(s.lastRun).toLocaleString() : '—'))));
        setText(status, '');
      } catch (err) {
        if (!stopped) setText(status, dt('failed', { msg: (err as Error).message }));
      }
    };
    form?.addEventListener('submit', (ev) => {
      ev.preventDefault();
      send.disabled = true;
      setText(sendStatus, dt('sending'));
      const names = recipients.value.split(/[,，\s]+/).filter(Boolean);
      void hubFetch(hub, 'POST', '/api/reports/send', { kind: kind.value, lang: lang.value, ...(names.length ? { recipients: names } : {}) })
        .then(async (r) => {
          const e = (await r.json()) as ReportEntry;
          setText(sendStatus, dt('sent', { id: e.id }));
          await load();
        })
        .catch((err: Error) => setText(sendStatus, dt('failed', { msg: err.message })))
        .finally(() => (send.disabled = false));
    });
    void load();
    return { unmount: () => void (stopped = true) };
  },
};
