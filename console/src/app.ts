// Wires the console together: session → site → shell + live link → routed views.
import type { SessionInfo } from '../../contracts/api.js';
import { ApiClient, ApiRequestError } from './api.js';
import { h, setText } from './dom.js';
import { onLocaleChange, t } from './i18n.js';
import { LiveLink, type LinkState } from './live.js';
import { RouteTable, pathOfHash } from './router.js';
import { clearSession, loadSession, saveSession, setSessionHint, shouldProbeSession } from './session.js';
import { Shell } from './shell.js';
import { floorView, homeView } from './views/floor-view.js';
import { alarmsView, journalView, kpiView } from './views/alarms/alarms-view.js';
import { createLoginPage } from './views/login.js';
import { wallView } from './wall/wall-view.js';
import { trendsView } from './trends/trends-view.js';
import { dashboardView } from './dashboard/dashboard-view.js';
import { controlView } from './views/control/control-view.js';
import type { MountedView, ViewContext, ViewModule } from './views/view.js';
import { camerasView } from './views/cameras/cameras-view.js';
import { cameraWallView } from './views/cameras/wall-view.js';
import { workordersView } from './views/workorders/workorders-view.js';
import { patrolsView } from './views/patrols/patrols-view.js';
import { recordingView } from './views/recording/recording-view.js';
import { adminView } from './views/admin/admin-view.js';
import { testrunsView } from './views/testruns/testruns-view.js';
import { decisionView } from './views/decision/decision-view.js';
import { reportsView } from './views/reports/reports-view.js';
import { sitemapView } from './views/sitemap/sitemap-view.js';

const notFoundView: ViewModule = {
  id: 'not-found',
  mount(container) {
    const text = h('p', { class: 'view-status' });
    const draw = () => setText(text, t('view.notFound'));
    container.replaceChildren(text);
    draw();
    return { relabel: draw, unmount() {} };
  },
};

/** Register new views here: specific patterns first. */
export const routes = new RouteTable<ViewModule>()
  .add('/floor/:building/:floor/:room?', floorView)
  .add('/alarms/journal', journalView)
  .add('/alarms/kpi', kpiView)
  .add('/alarms/:building?/:floor?/:room?', alarmsView)
  .add('/wall/:building?', wallView)
  .add('/trends/:pointId?', trendsView)
  .add('/dashboard', dashboardView)
  .add('/control/:page?/:arg?', controlView)
  .add('/cameras/wall', cameraWallView)
  .add('/cameras/:id?', camerasView)
  .add('/workorders/:arg?', workordersView)
  .add('/patrols/:page?', patrolsView)
  .add('/recordings', recordingView)
  .add('/admin', adminView)
  .add('/testruns', testrunsView)
  .add('/decision', decisionView)
  .add('/reports/:arg?', reportsView)
  .add('/sitemap', sitemapView)
  .add('/', homeView);

export function startApp(root: HTMLElement): void {
  let session: SessionInfo | null = loadSession(sessionStorage);
  let teardown: (() => void) | null = null;
  let ending = false;

  const api = new ApiClient('', () => session?.token ?? null, () => {
    if (session) void endSession(() => t('error.session'));
  });

  const showLogin = (notice?: () => string) => {
    teardown?.();
    const page = createLoginPage(api, (signedIn) => {
      session = signedIn;
      saveSession(sessionStorage, signedIn);
      setSessionHint(localStorage, true);
      void enterConsole(signedIn);
    });
    if (notice) page.notice(notice);
    root.replaceChildren(page.element);
    teardown = () => page.destroy();
  };

  const endSession = async (notice?: () => string, callServer = false) => {
    if (ending) return;
    ending = true;
    try {
      if (callServer) await api.logout().catch(() => undefined); // signed out locally either way
      session = null;
      clearSession(sessionStorage);
      if (callServer) setSessionHint(localStorage, false); // signed out on purpose: no cookie to probe next time
      showLogin(notice);
    } finally {
      ending = false;
    }
  };

  const enterConsole = async (current: SessionInfo) => {
    teardown?.();
    teardown = null;
    root.replaceChildren(h('p', { class: 'boot-status' }, t('nav.loading')));
    let site;
    try {
      site = await api.site();
    } catch (err) {
      if ((err as ApiRequestError).status !== 401) showLogin(() => t('view.loadFailed', { message: (err as Error).message }));
      return;
    }
    if (session !== current) return; // signed out while loading

    const shell = new Shell(site, current, () => void endSession(undefined, true));
    let linkState: LinkState = 'connecting';
    let mounted: { module: ViewModule; view: MountedView } | null = null;

    const live = new LiveLink(current.token, {
      onLinkState(state, detail) {
        linkState = state;
        shell.setLinkState(state, detail);
        mounted?.view.setLinkState?.(state);
        // A refused handshake usually means the session is gone; /me tells (its 401 ends the session).
        if (state === 'refused') void api.me().catch(() => undefined);
      },
      onDrivers: (statuses) => shell.setDrivers(statuses),
      // Points were added or removed by a live config reload: re-render the page (its point list
      // comes from the hub again). The admin page itself is left alone, it started the reload.
      onSiteChanged: (e) => {
        if (e.pointsAdded.length + e.pointsRemoved.length + e.pointsChanged.length === 0 || mounted?.module.id === 'admin') return;
        mounted?.view.unmount();
        mounted = null;
        render();
      },
    });
    shell.attachLive(live);
    const ctx: ViewContext = { api, session: current, site, live };

    const render = () => {
      // A leader's home is the decision view (issue 20), not the points table.
      if (current.role === 'leader' && pathOfHash(location.hash) === '/') history.replaceState(null, '', '#/decision');
      const path = pathOfHash(location.hash);
      const match = routes.resolve(path) ?? { view: notFoundView, params: {} };
      shell.select({ building: match.params.building, floor: match.params.floor, room: match.params.room });
      if (mounted && mounted.module === match.view && mounted.view.update?.(match.params)) return;
      mounted?.view.unmount();
      const view = match.view.mount(shell.main, match.params, ctx);
      view.setLinkState?.(linkState);
      mounted = { module: match.view, view };
    };

    const stopRelabel = onLocaleChange(() => {
      shell.relabel();
      mounted?.view.relabel?.();
    });
    window.addEventListener('hashchange', render);
    root.replaceChildren(shell.element);
    render();

    teardown = () => {
      window.removeEventListener('hashchange', render);
      stopRelabel();
      mounted?.view.unmount();
      mounted = null;
      live.close();
      shell.destroy();
    };
  };

  // A stored token or the session cookie may still be valid: ask the hub before showing login —
  // but only when there can be one (a first visit would log a 401 for nothing).
  if (!shouldProbeSession(session, localStorage)) {
    showLogin();
    return;
  }
  api
    .me()
    .then((me) => {
      session = { ...me, token: me.token || session?.token || '' };
      saveSession(sessionStorage, session);
      return enterConsole(session);
    })
    .catch((err: ApiRequestError) => {
      session = null;
      clearSession(sessionStorage);
      showLogin(err.status === 0 ? () => t('error.network', { message: err.message }) : undefined);
    });
}
