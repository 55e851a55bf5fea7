// Work orders in the console, phone first: my orders, one order with its timeline and the next
// step as a big button, the 报修 form, and statistics. Routes: #/workorders[?tab=all|requested],
// #/workorders/new, #/workorders/stats, #/workorders/<id> (the deep link of every notification).
import type { ConsoleNotification, WoAction, WorkOrder, WorkOrderDetail, WorkOrderStats } from '../../../../contracts/workorders.js';
import { TRADES, WO_PRIORITIES } from '../../../../contracts/workorders.js';
import { ApiRequestError, hubFetch, hubJson, type HubEndpoint } from '../../api.js';
import { h } from '../../dom.js';
import type { RouteParams } from '../../router.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { OfflineQueue } from './offline-queue.js';
import { resizePhoto } from './photo-resize.js';
import { enablePush } from './push-subscribe.js';
import { isOpenState, minutesLeft, NEEDS_NOTE, nextActions, parseParts, type Me } from './wo-model.js';
import { tr, trAny } from './wo-text.js';
import './workorders.css';

const time = (ms: number) => new Date(ms).toLocaleString(undefined, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

function badge(cls: string, text: string) {
  return h('span', { class: `wo-badge ${cls}` }, text);
}

function orderCard(o: WorkOrder, now: number): HTMLElement {
  const left = isOpenState(o.state) ? minutesLeft(o.acceptedAt ? o.fixBy : o.respondBy, now) : null;
  return h('a', { class: `wo-card wo-prio-${o.priority}`, href: `#/workorders/${o.id}` },
    h('div', { class: 'wo-card-top' }, h('span', { class: 'wo-id' }, `#${o.id}`), badge(`wo-state-${o.state}`, trAny('s', o.state)), badge(`wo-p-${o.priority}`, trAny('p', o.priority))),
    h('div', { class: 'wo-card-title' }, o.title),
    h('div', { class: 'wo-card-meta' }, `${trAny('t', o.trade)} · ${o.area}${o.assignee ? ` · ${o.assignee}` : ''}`),
    left === null ? h('span') : h('div', { class: `wo-due${left < 0 ? ' wo-overdue' : ''}` }, `${o.acceptedAt ? tr('fixBy') : tr('respondBy')}: ${left < 0 ? `${tr('overdue')} ${-left}` : left} min`),
  );
}

export const workordersView: ViewModule = {
  id: 'workorders',
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const me: Me = { username: ctx.session.user, permissions: ctx.session.permissions ?? [] };
    const manage = me.permissions.includes('workorders:manage');
    const queue = new OfflineQueue(globalThis.localStorage, me.username);
    // Flashes live beside the page content: a re-render must not wipe a refusal the user has to read.
    const flashes = h('div', { class: 'wo-flashes', 'aria-live': 'polite' });
    const root = h('div');
    const page = h('div', { class: 'wo-page' }, flashes, root);
    container.append(page);
    let current = params;
    let disposed = false;
    const flash = (text: string, bad = false) => {
      const el = h('div', { class: `wo-flash${bad ? ' wo-flash-bad' : ''}`, role: 'status' }, text);
      flashes.append(el);
      setTimeout(() => el.remove(), bad ? 15_000 : 5000);
    };

    const tabs = (active: string) => h('nav', { class: 'wo-tabs' },
      ...[['mine', '#/workorders'], ['all', '#/workorders?tab=all'], ['requested', '#/workorders?tab=requested'], ['report', '#/workorders/new'], ...(manage ? [['stats', '#/workorders/stats']] : [])]
        .map(([k, href]) => h('a', { href, class: k === active ? 'wo-tab wo-tab-on' : 'wo-tab' }, tr(k as 'mine'))));

    /** Shows (or updates) the offline bar in place: the page stays as it was, without the hub. */
    const showOffline = () => {
      root.querySelector('.wo-offline')?.remove();
      const bar = offlineBar();
      const head = root.querySelector('.wo-head');
      if (head) head.after(bar);
      else root.prepend(bar);
    };
    const offlineBar = () => {
      const n = queue.items().length;
      return n ? h('div', { class: 'wo-offline' }, tr('offline', { n })) : h('span');
    };

    // One flush at a time: the browser's own 'online' event and a retry must not send an update twice.
    let flushing: Promise<void> | null = null;
    const flushQueue = () => (flushing ??= flushOnce().finally(() => (flushing = null)));
    async function flushOnce() {
      if (queue.items().length === 0) return;
      const r = await queue.flush(async (q) => {
        try {
          await hubJson(hub, 'POST', `/api/workorders/${q.orderId}/steps`, q.body);
        } catch (err) {
          throw { status: err instanceof ApiRequestError ? err.status : 0, message: err instanceof Error ? err.message : String(err) };
        }
      });
      if (r.sent) flash(tr('sent'));
      for (const x of r.refused) flash(`#${x.item.orderId} ${trAny('a', x.item.body.action)} — ${tr('conflict', { msg: x.message })}`, true);
      if (!disposed) void render();
    }
    const onOnline = () => void flushQueue();
    globalThis.addEventListener('online', onOnline);

    async function renderList() {
      const tab = new URLSearchParams(location.hash.split('?')[1] ?? '').get('tab') ?? 'mine';
      const q = tab === 'all' ? '?state=new,assigned,accepted,en_route,on_site,done' : tab === 'requested' ? '?requested=1' : '?mine=1&state=assigned,accepted,en_route,on_site,done,verified';
      const [orders, inbox] = await Promise.all([
        hubJson<WorkOrder[]>(hub, 'GET', `/api/workorders${q}`),
        hubJson<ConsoleNotification[]>(hub, 'GET', '/api/notify/inbox').catch(() => [] as ConsoleNotification[]),
      ]);
      const lang = document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en';
      const pushBtn = h('button', { class: 'wo-btn wo-btn-quiet', type: 'button' }, tr('pushOn'));
      pushBtn.onclick = async () => {
        try {
          const r = await enablePush(hub);
          flash(r === 'subscribed' ? tr('pushDone') : r, r !== 'subscribed');
        } catch (err) {
          flash((err as Error).message, true);
        }
      };
      root.replaceChildren(
        h('header', { class: 'wo-head' }, h('h1', {}, tr('title')), pushBtn),
        tabs(tab === 'all' ? 'all' : tab === 'requested' ? 'requested' : 'mine'),
        offlineBar(),
        orders.length ? h('div', { class: 'wo-list' }, ...orders.map((o) => orderCard(o, Date.now()))) : h('p', { class: 'wo-empty' }, tr('empty')),
        inbox.length ? h('h2', {}, tr('inbox')) : '',
        inbox.length ? h('ul', { class: 'wo-inbox' }, ...inbox.slice(0, 10).map((n) => h('li', { class: `wo-inbox-${n.priority}` }, h('time', {}, time(n.ts)), ' ', h('a', { href: n.link }, n.title[lang])))) : '',
      );
    }

    async function renderNew() {
      const field = (label: string, el: HTMLElement) => h('label', { class: 'wo-field' }, h('span', {}, label), el);
      const title = h('input', { required: true, maxLength: 200 });
      const desc = h('textarea', { rows: 3, maxLength: 4000 });
      const trade = h('select', {}, ...TRADES.map((t) => h('option', { value: t }, trAny('t', t))));
      const lang = document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en';
      const area = h('select', {}, ...ctx.site.buildings.flatMap((b) => [h('option', { value: b.id }, b.name[lang]), ...b.floors.flatMap((f) => [
        h('option', { value: `${b.id}/${f.id}` }, `${b.name[lang]} · ${f.name[lang]}`),
        ...f.rooms.map((r) => h('option', { value: `${b.id}/${f.id}/${r.id}` }, `${b.name[lang]} · ${f.name[lang]} · ${r.name[lang]}`)),
      ])]));
      const prio = h('select', {}, ...WO_PRIORITIES.map((p) => h('option', { value: p, selected: p === 'medium' }, trAny('p', p))));
      const submit = h('button', { class: 'wo-btn wo-btn-main', type: 'submit' }, tr('f.submit'));
      const form = h('form', { class: 'wo-form' }, field(tr('f.title'), title), field(tr('f.description'), desc), field(tr('f.trade'), trade), field(tr('f.area'), area), field(tr('f.priority'), prio), submit);
      form.onsubmit = async (e) => {
        e.preventDefault();
        try {
          const o = await hubJson<WorkOrder>(hub, 'POST', '/api/workorders', { title: title.value, description: desc.value || undefined, trade: trade.value, area: area.value, priority: prio.value });
          location.hash = `#/workorders/${o.id}`;
        } catch (err) {
          flash((err as Error).message, true);
        }
      };
      root.replaceChildren(h('header', { class: 'wo-head' }, h('h1', {}, tr('report'))), tabs('report'), form);
    }

    async function renderStats() {
      const by = new URLSearchParams(location.hash.split('?')[1] ?? '').get('by') ?? 'trade';
      const s = await hubJson<WorkOrderStats>(hub, 'GET', `/api/workorders/stats?by=${encodeURIComponent(by)}`);
      const sel = h('select', {}, ...(['trade', 'area', 'month', 'person'] as const).map((k) => h('option', { value: k, selected: k === by }, tr(`by.${k}`))));
      sel.onchange = () => (location.hash = `#/workorders/stats?by=${sel.value}`);
      const csv = h('button', { class: 'wo-btn wo-btn-quiet', type: 'button' }, tr('csv'));
      csv.onclick = async () => {
        const res = await hubFetch(hub, 'GET', `/api/workorders/stats?by=${encodeURIComponent(by)}&format=csv`, undefined, { accept: 'text/csv' });
        const a = h('a', { href: URL.createObjectURL(await res.blob()), download: `workorders-by-${by}.csv` });
        a.click();
        URL.revokeObjectURL(a.href);
      };
      const cols = ['col.key', 'col.orders', 'col.closed', 'col.mtta', 'col.mttr', 'col.sla', 'col.parts', 'col.damage', 'col.sat'] as const;
      const cell = (v: unknown) => h('td', {}, v === null || v === undefined ? '—' : String(v));
      root.replaceChildren(
        h('header', { class: 'wo-head' }, h('h1', {}, tr('stats')), h('label', { class: 'wo-inline' }, tr('by'), sel), csv),
        tabs('stats'),
        h('div', { class: 'wo-table-wrap' }, h('table', { class: 'wo-table' },
          h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', {}, tr(c))))),
          h('tbody', {}, ...s.rows.map((r) => h('tr', {}, cell(by === 'trade' ? trAny('t', r.key) : r.key), cell(r.orders), cell(r.closed), cell(r.mttaMin), cell(r.mttrMin), cell(r.slaPercent), cell(`${r.partsUsed}/${r.partsDamaged}`), cell(r.damageRate), cell(r.satisfaction)))))),
        h('h2', {}, tr('repeat')),
        h('ul', { class: 'wo-repeat' }, ...s.repeatFaults.map((f) => h('li', {}, `${f.device} × ${f.count}`))),
      );
    }

    async function renderDetail(id: number) {
      const o = await hubJson<WorkOrderDetail>(hub, 'GET', `/api/workorders/${id}`);
      const note = h('textarea', { rows: 2, maxLength: 2000, placeholder: tr('f.note') });
      const workDone = h('textarea', { rows: 2, maxLength: 4000, placeholder: tr('f.workDone') });
      const parts = h('textarea', { rows: 2, placeholder: tr('f.parts') });
      const assignee = h('input', { placeholder: tr('f.assignee'), maxLength: 64 });
      const actions = nextActions(o, me);
      const step = async (action: WoAction) => {
        const body: Record<string, unknown> = { action, version: o.version };
        if (note.value.trim()) body.note = note.value.trim();
        if (action === 'finish') {
          const p = parseParts(parts.value);
          if (p.bad.length) return flash(`${tr('parts')}: ${p.bad.join(', ')}`, true);
          body.workDone = workDone.value.trim();
          body.parts = p.parts;
        }
        if (action === 'reassign' || action === 'assign') body.assignee = assignee.value.trim();
        try {
          await hubJson(hub, 'POST', `/api/workorders/${id}/steps`, body);
          void render();
        } catch (err) {
          if (err instanceof ApiRequestError && err.status === 0) {
            queue.add(id, body as never);
            showOffline();
            flash(tr('queued'));
          } else flash(tr('conflict', { msg: (err as Error).message }), true);
        }
      };
      const buttons = actions.map((a, i) => {
        const b = h('button', { type: 'button', class: `wo-btn ${i === 0 && !NEEDS_NOTE.includes(a) && a !== 'cancel' ? 'wo-btn-main' : 'wo-btn-quiet'}` }, trAny('a', a));
        b.onclick = () => void step(a);
        return b;
      });
      const photoInput = h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'wo-file' });
      photoInput.onchange = async () => {
        const f = photoInput.files?.[0];
        if (!f) return;
        try {
          const data = await resizePhoto(f);
          await hubJson(hub, 'POST', `/api/workorders/${id}/photos`, { data, version: o.version });
          void render();
        } catch (err) {
          flash((err as Error).message, true);
        }
      };
      const canPhoto = isOpenState(o.state) && (o.assignee === me.username || manage || o.requester === me.username);
      const rating = o.requester === me.username && !o.rating && ['done', 'verified', 'closed'].includes(o.state) ? ratingForm(id) : h('span');
      const photos = await Promise.all(o.photos.map(async (p) => {
        try {
          const res = await hubFetch(hub, 'GET', `/api/workorders/${id}/photos/${p}`, undefined, { accept: 'image/*' });
          return h('img', { class: 'wo-photo', src: URL.createObjectURL(await res.blob()), alt: p });
        } catch {
          return h('span', {}, p);
        }
      }));
      const dl = (k: string, v: string | HTMLElement) => [h('dt', {}, k), h('dd', {}, v)];
      const deadline = (ms: number) => `${time(ms)}${isOpenState(o.state) && ms < Date.now() ? ` · ${tr('overdue')}` : ''}`;
      root.replaceChildren(
        h('header', { class: 'wo-head' }, h('a', { href: '#/workorders', class: 'wo-back' }, tr('back')), h('span', { class: 'wo-ver' }, tr('version', { n: o.version }))),
        offlineBar(),
        h('section', { class: `wo-detail wo-prio-${o.priority}` },
          h('div', { class: 'wo-card-top' }, h('span', { class: 'wo-id' }, `#${o.id}`), badge(`wo-state-${o.state}`, trAny('s', o.state)), badge(`wo-p-${o.priority}`, trAny('p', o.priority)), o.escalation ? badge('wo-esc', tr('escalation', { n: o.escalation })) : h('span')),
          h('h1', { class: 'wo-title' }, o.title),
          o.description ? h('p', { class: 'wo-desc' }, o.description) : h('span'),
          h('dl', { class: 'wo-meta' },
            ...dl(tr('source'), trAny('src', o.source)), ...dl(tr('f.trade'), trAny('t', o.trade)), ...dl(tr('f.area'), o.area),
            ...dl(tr('assignee'), o.assignee ?? '—'), ...dl(tr('requester'), o.requester),
            ...dl(tr('respondBy'), deadline(o.respondBy)), ...dl(tr('fixBy'), deadline(o.fixBy)),
            ...(o.alarmId ? dl(tr('alarm'), h('a', { href: `#/alarms?focus=${encodeURIComponent(o.alarmId)}` }, o.alarmId)) : []),
            ...(o.workDone ? dl(tr('f.workDone'), o.workDone) : []),
            ...(o.parts.length ? dl(tr('parts'), o.parts.map((p) => `${p.name} × ${p.qty}${p.damaged ? ' !' : ''}`).join(', ')) : []),
            ...(o.rating ? dl(tr('f.rate'), `${'★'.repeat(o.rating.score)}${'☆'.repeat(5 - o.rating.score)} ${o.rating.comment ?? ''}`) : []),
          ),
          actions.includes('finish') ? h('div', { class: 'wo-finish' }, workDone, parts) : h('span'),
          actions.some((a) => a === 'reassign' || a === 'assign') ? assignee : h('span'),
          actions.length ? note : h('span'),
          h('div', { class: 'wo-actions' }, ...buttons),
          canPhoto ? h('label', { class: 'wo-btn wo-btn-quiet wo-photo-btn' }, tr('f.photo'), photoInput) : h('span'),
          photos.length ? h('div', { class: 'wo-photos' }, ...photos) : h('span'),
          rating,
        ),
        h('h2', {}, tr('timeline')),
        h('ol', { class: 'wo-timeline' }, ...o.timeline.map((e) => h('li', {},
          h('time', {}, time(e.ts)), ' ', h('strong', {}, trAny('k', e.kind) !== e.kind ? trAny('k', e.kind) : trAny('a', e.kind)), ` · ${e.user} → ${trAny('s', e.to)}`,
          e.note ? h('div', { class: 'wo-note' }, e.note) : h('span')))),
      );
    }

    function ratingForm(id: number): HTMLElement {
      const stars = h('div', { class: 'wo-stars', role: 'radiogroup' });
      let score = 0;
      const comment = h('input', { placeholder: tr('f.comment'), maxLength: 2000 });
      const send = h('button', { class: 'wo-btn wo-btn-main', type: 'button', disabled: true }, tr('f.rate'));
      for (let s = 1; s <= 5; s++) {
        const b = h('button', { type: 'button', class: 'wo-star', 'aria-label': `${s}` }, '☆');
        b.onclick = () => {
          score = s;
          [...stars.children].forEach((c, i) => (c.textContent = i < s ? '★' : '☆'));
          send.disabled = false;
        };
        stars.append(b);
      }
      send.onclick = async () => {
        try {
          await hubJson(hub, 'POST', `/api/workorders/${id}/rating`, { score, comment: comment.value.trim() || undefined });
          void render();
        } catch (err) {
          flash((err as Error).message, true);
        }
      };
      return h('div', { class: 'wo-rating' }, h('span', {}, tr('f.rate')), stars, comment, send);
    }

    async function render() {
      const arg = current.arg;
      try {
        if (!arg) await renderList();
        else if (arg === 'new') await renderNew();
        else if (arg === 'stats') await renderStats();
        else if (/^\d+$/.test(arg)) await renderDetail(Number(arg));
        else root.replaceChildren(h('p', { class: 'wo-empty' }, tr('empty')));
      } catch (err) {
        // Offline with a page already drawn: keep it (the phone in a basement still shows the order).
        if (err instanceof ApiRequestError && err.status === 0 && root.childElementCount > 0) showOffline();
        else root.replaceChildren(h('p', { class: 'wo-flash wo-flash-bad' }, (err as Error).message));
      }
    }
    void render().then(() => (navigator.onLine ? flushQueue() : undefined));
    return {
      update(p) {
        current = p;
        void render();
        return true;
      },
      relabel() {
        void render();
      },
      unmount() {
        disposed = true;
        globalThis.removeEventListener('online', onOnline);
        page.remove();
      },
    };
  },
};
