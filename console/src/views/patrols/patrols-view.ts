// Patrols in the console. #/patrols: the guard's phone page (my tour, scan with the camera,
// inspection checklist, manual entry with a supervisor's code, offline queue). #/patrols/status:
// the desk/wall picture of every run (where the guard last scanned, what is overdue).
// #/patrols/report: compliance per tour, person, shift, area or month, with CSV.
import type { CheckpointInfo, ComplianceReport, RunStatus, ScanRequest, ScanResult, TourInfo } from '../../../../contracts/patrols.js';
import { ApiRequestError, hubFetch, hubJson, type HubEndpoint } from '../../api.js';
import { h } from '../../dom.js';
import type { RouteParams } from '../../router.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { resizePhoto } from '../workorders/photo-resize.js';
import { startScanner, type Scanner } from './camera-scan.js';
import { mergeRuns, newScanId, nextStop, progress, ScanQueue, wallOrder } from './patrols-model.js';
import { loc, tr, trAny, type PatrolKey } from './patrols-text.js';
import './patrols.css';

interface Mine { runs: RunStatus[]; checkpoints: CheckpointInfo[] }
interface PatrolConfig { tours: TourInfo[]; checkpoints: CheckpointInfo[] }

export const patrolsView: ViewModule = {
  id: 'patrols',
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const perms = ctx.session.permissions ?? [];
    const canScan = perms.includes('patrols:scan');
    const canRead = perms.includes('patrols:read');
    const tz = ctx.site.timezone;
    const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', timeZone: tz });
    const page = h('div', { class: 'pt-page' });
    container.append(page);
    let cleanup: Array<() => void> = [];
    let current = params;

    const tabs = (active: string) => h('nav', { class: 'pt-tabs' },
      ...([['scan', '#/patrols', canScan], ['status', '#/patrols/status', canRead], ['report', '#/patrols/report', canRead]] as const)
        .filter(([, , ok]) => ok).map(([k, href]) => h('a', { href, class: k === active ? 'pt-tab pt-tab-on' : 'pt-tab' }, tr(k))));

    const render = () => {
      for (const c of cleanup) c();
      cleanup = [];
      const p = current.page ?? (canScan ? 'scan' : 'status');
      if (p === 'status' && canRead) statusPage();
      else if (p === 'report' && canRead) reportPage();
      else scanPage();
    };

    // ---- the phone: scan ----
    function scanPage() {
      const queue = new ScanQueue(globalThis.localStorage, ctx.session.user);
      const flashes = h('div', { class: 'pt-flashes', 'aria-live': 'polite' });
      const result = h('div', { class: 'pt-result', 'data-state': 'idle' });
      const runBox = h('div', { class: 'pt-run' });
      const video = h('video', { class: 'pt-video', muted: true, playsinline: true, autoplay: true });
      const frame = h('div', { class: 'pt-camera', hidden: true }, video, h('div', { class: 'pt-aim' }), h('p', { class: 'pt-hint' }, tr('scan.hint')));
      const scanBtn = h('button', { class: 'pt-btn pt-btn-main', type: 'button', 'data-action': 'scan' }, tr('scan.start'));
      const form = h('div', { class: 'pt-form' });
      let checkpoints: CheckpointInfo[] = [];
      let scanner: Scanner | null = null;
      const flash = (text: string, bad = false) => {
        const el = h('div', { class: `pt-flash${bad ? ' pt-flash-bad' : ''}`, role: 'status' }, text);
        flashes.append(el);
        setTimeout(() => el.remove(), bad ? 15_000 : 6000);
      };
      const cpName = (id: string) => { const c = checkpoints.find((x) => x.id === id); return c ? loc(c.name) : id; };

      const loadMine = async () => {
        try {
          const m = await hubJson<Mine>(hub, 'GET', '/api/patrols/mine');
          checkpoints = m.checkpoints;
          drawRun(m.runs[0]);
          manualSelect.replaceChildren(...checkpoints.map((c) => h('option', { value: c.id }, `${loc(c.name)} (${c.id})`)));
        } catch { /* offline: keep what is shown */ }
      };
      const drawRun = (run: RunStatus | undefined) => {
        if (!run) return runBox.replaceChildren(h('p', { class: 'pt-muted' }, tr('noRun')));
        const pr = progress(run);
        const next = nextStop(run);
        runBox.replaceChildren(
          h('div', { class: 'pt-run-head' }, h('strong', {}, tr('myRun')), h('span', { class: `pt-badge pt-state-${run.state}` }, tr(run.state)), h('span', { class: 'pt-muted' }, `${pr.done}/${pr.total}`)),
          next ? h('div', { class: 'pt-next' }, tr('next', { name: cpName(next.checkpoint) }), ' · ', tr('due', { time: clock(next.due) })) : h('span'),
          h('ol', { class: 'pt-stops' }, ...run.checkpoints.map((c) => h('li', { class: `pt-stop pt-s-${c.status}` }, h('span', { class: 'pt-dot' }), h('span', {}, cpName(c.checkpoint)), h('span', { class: 'pt-muted' }, c.scannedAt ? clock(c.scannedAt) : clock(c.due)), h('span', { class: 'pt-st' }, trAny('s', c.status))))),
        );
      };

      const send = async (req: ScanRequest) => {
        try {
          const r = await hubJson<ScanResult>(hub, 'POST', '/api/patrols/scans', req);
          const name = loc(r.name);
          result.replaceChildren(h('strong', {}, tr('scan.ok', { name, status: trAny('s', r.status) })));
          result.dataset.state = r.status;
          result.dataset.checkpoint = r.checkpoint;
          void loadMine();
        } catch (err) {
          if (err instanceof ApiRequestError && err.status === 0) {
            const n = queue.add({ ...req, offline: true });
            result.dataset.state = 'queued';
            result.replaceChildren(tr('scan.queued', { n }));
          } else {
            result.dataset.state = 'refused';
            result.replaceChildren(tr('scan.refused', { msg: err instanceof Error ? err.message : String(err) }));
            flash(tr('scan.refused', { msg: err instanceof Error ? err.message : String(err) }), true);
          }
        }
      };
      const flushQueue = async () => {
        if (queue.items().length === 0) return;
        const r = await queue.flush(async (s) => {
          try {
            await hubJson(hub, 'POST', '/api/patrols/scans', s);
          } catch (err) {
            throw { status: err instanceof ApiRequestError ? err.status : 0, message: err instanceof Error ? err.message : String(err) };
          }
        });
        if (r.sent) flash(tr('scan.sent', { n: r.sent }));
        for (const x of r.refused) flash(tr('scan.refused', { msg: x.message }), true);
        void loadMine();
      };

      /** A decoded code: checkpoints with a checklist get the inspection form first. */
      const onDecoded = (token: string, ms: number) => {
        frame.hidden = true;
        scanBtn.textContent = tr('scan.start');
        scanner = null;
        result.dataset.decodeMs = String(ms);
        const id = token.split('.')[1];
        const clientTs = Date.now();
        const base: ScanRequest = { scanId: newScanId(), token, clientTs };
        const cp = checkpoints.find((c) => c.id === id);
        result.replaceChildren(tr('scan.decoded', { ms }));
        if (cp && cp.checklist.length > 0) inspection(cp, base);
        else void send(base);
      };
      const inspection = (cp: CheckpointInfo, base: ScanRequest) => {
        const answers: Record<string, boolean> = {};
        let rating = 0;
        let photo: string | undefined;
        const items = cp.checklist.map((it) => {
          const pass = h('button', { type: 'button', class: 'pt-btn pt-pass' }, tr('pass'));
          const fail = h('button', { type: 'button', class: 'pt-btn pt-fail' }, tr('fail'));
          const pick = (v: boolean) => { answers[it.id] = v; pass.classList.toggle('pt-on', v); fail.classList.toggle('pt-on', !v); };
          pass.onclick = () => pick(true);
          fail.onclick = () => pick(false);
          pick(true);
          return h('div', { class: 'pt-item' }, h('span', {}, loc(it.label)), h('span', { class: 'pt-pair' }, pass, fail));
        });
        const stars = h('div', { class: 'pt-stars' }, ...[1, 2, 3, 4, 5].map((n) => {
          const b = h('button', { type: 'button', class: 'pt-star', 'aria-label': String(n) }, '★');
          b.onclick = () => { rating = n; stars.querySelectorAll('.pt-star').forEach((s, i) => s.classList.toggle('pt-on', i < n)); };
          return b;
        }));
        const file = h('input', { type: 'file', accept: 'image/*', capture: 'environment' });
        file.onchange = async () => { const f = file.files?.[0]; if (f) photo = await resizePhoto(f); };
        const note = h('textarea', { rows: 2, placeholder: tr('note') });
        const submit = h('button', { type: 'button', class: 'pt-btn pt-btn-main' }, tr('submit'));
        const cancel = h('button', { type: 'button', class: 'pt-btn' }, tr('cancel'));
        cancel.onclick = () => form.replaceChildren();
        submit.onclick = () => {
          form.replaceChildren();
          void send({ ...base, answers, ...(rating ? { rating } : {}), ...(photo ? { photo } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}) });
        };
        form.replaceChildren(h('h2', {}, `${tr('checklist')}: ${loc(cp.name)}`), ...items, h('label', { class: 'pt-field' }, h('span', {}, tr('rating')), stars),
          h('label', { class: 'pt-field' }, h('span', {}, tr('photo')), file), note, h('div', { class: 'pt-actions' }, submit, cancel));
      };

      scanBtn.onclick = async () => {
        if (scanner) {
          scanner.stop();
          scanner = null;
          frame.hidden = true;
          scanBtn.textContent = tr('scan.start');
          return;
        }
        frame.hidden = false;
        scanBtn.textContent = tr('scan.stop');
        result.dataset.state = 'scanning';
        try {
          scanner = await startScanner(video, onDecoded);
        } catch (err) {
          frame.hidden = true;
          scanBtn.textContent = tr('scan.start');
          result.dataset.state = 'no-camera';
          flash(tr('scan.noCamera', { msg: err instanceof Error ? err.message : String(err) }), true);
        }
      };

      const manualSelect = h('select', { name: 'checkpoint' });
      const manualCode = h('input', { name: 'code', inputmode: 'numeric', maxlength: 8, pattern: '\\d{8}', autocomplete: 'off' });
      const manualBtn = h('button', { type: 'button', class: 'pt-btn' }, tr('manual.send'));
      manualBtn.onclick = () => void send({ scanId: newScanId(), manual: { checkpoint: manualSelect.value, overrideCode: manualCode.value.trim() }, clientTs: Date.now() });
      const manual = h('details', { class: 'pt-manual' }, h('summary', {}, tr('manual')),
        h('label', { class: 'pt-field' }, h('span', {}, tr('manual.checkpoint')), manualSelect), h('label', { class: 'pt-field' }, h('span', {}, tr('manual.code')), manualCode), manualBtn);

      page.replaceChildren(h('header', { class: 'pt-head' }, h('h1', {}, tr('title'))), tabs('scan'), flashes, runBox, scanBtn, frame, result, form, manual);
      void loadMine().then(flushQueue);
      const online = () => void flushQueue();
      globalThis.addEventListener('online', online);
      const timer = setInterval(() => void loadMine(), 15_000);
      cleanup.push(() => { scanner?.stop(); globalThis.removeEventListener('online', online); clearInterval(timer); });
    }

    // ---- the desk and wall: where every guard is ----
    function statusPage() {
      const grid = h('div', { class: 'pt-grid' });
      const stamp = h('span', { class: 'pt-muted' });
      let cfg: PatrolConfig = { tours: [], checkpoints: [] };
      const cpName = (id: string) => { const c = cfg.checkpoints.find((x) => x.id === id); return c ? loc(c.name) : id; };
      const tourName = (id: string) => { const t = cfg.tours.find((x) => x.id === id); return t ? loc(t.name) : id; };
      const card = (r: RunStatus) => {
        const pr = progress(r);
        return h('article', { class: `pt-card${r.overdue.length ? ' pt-card-late' : ''}`, 'data-run': r.runId },
          h('div', { class: 'pt-run-head' }, h('strong', {}, tourName(r.tour)), h('span', { class: `pt-badge pt-state-${r.state}` }, tr(r.state)), h('span', { class: 'pt-muted' }, `${clock(r.start)}–${clock(r.end)}`)),
          h('div', { class: 'pt-muted' }, r.assignee ? tr('assignee', { who: r.assignee }) : tr('unassigned')),
          h('div', { class: 'pt-bar' }, h('div', { class: 'pt-bar-in', style: `width:${pr.pct}%` })),
          h('div', { class: 'pt-dots' }, ...r.checkpoints.map((c) => h('span', { class: `pt-dot pt-s-${c.status}`, title: `${cpName(c.checkpoint)}: ${trAny('s', c.status)}` }))),
          h('div', { class: 'pt-last' }, r.last ? tr('last', { name: cpName(r.last.checkpoint), time: clock(r.last.at), who: r.last.by }) : tr('noScan')),
          r.overdue.length ? h('div', { class: 'pt-overdue' }, tr('overdue', { list: r.overdue.map(cpName).join(tr('sep')) })) : h('span'),
        );
      };
      // The hub pushes each changed run (scan, stop overdue, run closed) over the shared live link;
      // the snapshot comes again after every reconnect, so nothing is polled.
      let runs: RunStatus[] = [];
      const draw = () => {
        const shown = wallOrder(runs);
        grid.replaceChildren(...(shown.length ? shown.map(card) : [h('p', { class: 'pt-muted' }, tr('none'))]));
        stamp.textContent = clock(Date.now());
      };
      page.replaceChildren(h('header', { class: 'pt-head' }, h('h1', {}, tr('status')), stamp), tabs('status'), grid);
      let stop = () => {};
      let gone = false;
      void hubJson<PatrolConfig>(hub, 'GET', '/api/patrols/config').then((c) => {
        cfg = c;
        if (gone) return;
        stop = ctx.live.watchPatrols({
          onSnapshot: (all) => { runs = all; draw(); },
          onUpdate: (changed) => { runs = mergeRuns(runs, changed); draw(); },
          onError: (message) => grid.replaceChildren(h('p', { class: 'pt-muted' }, message)),
        });
      }).catch(() => { /* the shell shows the link state */ });
      cleanup.push(() => { gone = true; stop(); });
    }

    // ---- compliance ----
    function reportPage() {
      const by = h('select', {}, ...(['tour', 'person', 'shift', 'area', 'month'] as const).map((k) => h('option', { value: k }, tr(`by.${k}` as PatrolKey))));
      const days = h('select', {}, ...[7, 30, 90, 365].map((n) => h('option', { value: String(n), selected: n === 30 }, tr('days', { n }))));
      const table = h('div', { class: 'pt-table-wrap' });
      const range = () => { const to = Date.now(); return { from: to - Number(days.value) * 86_400_000, to }; };
      const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
      const load = async () => {
        const { from, to } = range();
        const rep = await hubJson<ComplianceReport>(hub, 'GET', `/api/patrols/compliance?by=${by.value}&from=${from}&to=${to}`);
        const cols: Array<[PatrolKey, (r: ComplianceReport['total']) => string]> = [
          ['col.key', (r) => r.key], ['col.runs', (r) => String(r.runs)], ['col.planned', (r) => String(r.planned)], ['col.onTime', (r) => String(r.onTime)],
          ['col.late', (r) => String(r.late)], ['col.missed', (r) => String(r.missed)], ['col.early', (r) => String(r.early)], ['col.order', (r) => String(r.outOfOrder)],
          ['col.manual', (r) => String(r.manual)], ['col.offline', (r) => String(r.offline)], ['col.compliance', (r) => pct(r.compliance)],
          ['col.rating', (r) => (r.meanRating === null ? '—' : r.meanRating.toFixed(1))], ['col.items', (r) => pct(r.itemsPassed)],
        ];
        const row = (r: ComplianceReport['total'], total = false) => h('tr', { class: total ? 'pt-total' : '' }, ...cols.map(([, f], i) => h(i === 0 ? 'th' : 'td', {}, total && i === 0 ? tr('total') : f(r))));
        table.replaceChildren(h('table', { class: 'pt-table' }, h('thead', {}, h('tr', {}, ...cols.map(([k]) => h('th', {}, tr(k))))), h('tbody', {}, ...rep.rows.map((r) => row(r)), row(rep.total, true))));
      };
      const csv = h('button', { class: 'pt-btn', type: 'button' }, tr('csv'));
      csv.onclick = async () => {
        const { from, to } = range();
        const res = await hubFetch(hub, 'GET', `/api/patrols/compliance?by=${by.value}&from=${from}&to=${to}&format=csv`, undefined, { accept: 'text/csv' });
        const a = h('a', { href: URL.createObjectURL(await res.blob()), download: `patrols-by-${by.value}.csv` });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      };
      by.onchange = () => void load();
      days.onchange = () => void load();
      page.replaceChildren(h('header', { class: 'pt-head' }, h('h1', {}, tr('report'))), tabs('report'),
        h('div', { class: 'pt-controls' }, h('label', { class: 'pt-inline' }, tr('by'), by), days, csv), table, h('p', { class: 'pt-muted' }, tr('offlineNote')));
      void load();
    }

    render();
    return {
      update(next) {
        current = next;
        render();
        return true;
      },
      relabel: render,
      unmount() {
        for (const c of cleanup) c();
        page.remove();
      },
    };
  },
};
