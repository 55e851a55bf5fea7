// The leader's decision view (#/decision): one request (/api/reports/decision), no chart library,
// so it paints fast on a phone from a cold cache. Read-only; refreshes every 60 s.
import type { DecisionSummary } from '../../../../contracts/reports.js';
import { hubJson } from '../../api.js';
import { h, setText } from '../../dom.js';
import { takePrefetched } from '../../prefetch.js';
import type { ViewModule } from '../view.js';
import { fmtLocalTime } from './model.js';
import { summaryCards } from './summary-dom.js';
import { dt } from './text.js';
import './decision.css';

const REFRESH_MS = 60_000;
const PATH = '/api/reports/decision';

export const decisionView: ViewModule = {
  id: 'decision',
  mount(container, _params, ctx) {
    const status = h('p', { class: 'view-status' }, dt('loading'));
    const title = h('h1', { class: 'dv-title' }, dt('title'));
    const grid = h('div', { class: 'dv-grid' });
    const root = h('div', { class: 'dv' }, h('header', { class: 'dv-head' }, title, status), grid);
    container.replaceChildren(root);
    let last: DecisionSummary | null = null;
    let stopped = false;
    const controller = new AbortController();

    const draw = () => {
      setText(title, dt('title'));
      if (!last) return;
      setText(status, dt('asOf', { time: fmtLocalTime(last.generatedAt), ms: last.tookMs }));
      grid.replaceChildren(...summaryCards(last));
      root.dataset.ready = '1';
    };
    const ask = () => hubJson<DecisionSummary>({ baseUrl: '', token: () => ctx.session.token }, 'GET', PATH, undefined, { signal: controller.signal });
    const load = async (early: Promise<DecisionSummary> | null = null) => {
      try {
        // The app may have asked at boot, beside the session check (prefetch.ts); a failed early
        // answer (stale token, no permission) is asked again so the error shown is this request's.
        last = early ? await early.catch(ask) : await ask();
        if (!stopped) draw();
      } catch (err) {
        if (!stopped && (err as Error).name !== 'AbortError') setText(status, dt('failed', { msg: (err as Error).message }));
      }
    };
    void load(takePrefetched<DecisionSummary>(PATH));
    const timer = setInterval(() => void load(), REFRESH_MS);
    return {
      relabel: draw,
      unmount() {
        stopped = true;
        clearInterval(timer);
        controller.abort();
      },
    };
  },
};
