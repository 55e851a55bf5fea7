// Wires the console together: session → site → shell + live link → routed views. With a stored
// session the session check, the site and the route's chunk and first data go out together.
import type { SessionInfo, SiteTree } from '../../contracts/api.js';
import { ApiClient, ApiRequestError, hubJson } from './api.js';
import { createLoginPage } from './views/login.js';
import { h, setText } from './dom.js';
import { onLocaleChange, t } from './i18n.js';
import { LiveLink, type LinkState } from './live.js';
import { RouteTable, pathOfHash, type RouteMatch } from './router.js';
import { clearSession, loadSession, saveSession, setSessionHint, shouldProbeSession } from './session.js';
import { Shell } from './shell.js';
import type { MountedView, ViewContext, ViewModule } from './views/view.js';
import { lazyView, type LazyView } from './views/lazy.js';
import { prefetchJson } from './prefetch.js';

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

// Each view is its own chunk, loaded on first use (views/lazy.ts): the boot chunk holds the shell
// only. Views of one module share its chunk. `firstData` is started at boot beside /api/auth/me.
const floor = () => import('./views/floor-view.js');
const alarms = () => import('./views/alarms/alarms-view.js');
const cameras = () => import('./views/cameras/cameras-view.js');

/** Register new views here: specific patterns first. */
export const routes = new RouteTable<LazyView>()
  .add('/floor/:building/:floor/:room?', lazyView('floor', () => floor().then((m) => m.floorView)))
  .add('/alarms/journal', lazyView('alarm-journal', () => alarms().then((m) => m.journalView)))
  .add('/alarms/kpi', lazyView('alarm-kpi', () => alarms().then((m) => m.kpiView)))
  .add('/alarms/:building?/:floor?/:room?', lazyView('alarms', () => alarms().then((m) => m.alarmsView)))
  .add('/wall/:building?', lazyView('wall', () => import('./wall/wall-view.js').then((m) => m.wallView)))
  .add('/trends/:pointId?', lazyView('trends', () => import('./trends/trends-view.js').then((m) => m.trendsView)))
  .add('/dashboard', lazyView('dashboard', () => import('./dashboard/dashboard-view.js').then((m) => m.dashboardView)))
  .add('/control/:page?/:arg?', lazyView('control', () => import('./views/control/control-view.js').then((m) => m.controlView)))
  .add('/cameras/wall', lazyView('camera-wall', () => import('./views/cameras/wall-view.js').then((m) => m.cameraWallView)))
  .add('/cameras/:id?', lazyView('cameras', () => cameras().then((m) => m.camerasView)))
  .add('/workorders/:arg?', lazyView('workorders', () => import('./views/workorders/workorders-view.js').then((m) => m.workordersView)))
  .add('/patrols/:page?', lazyView('patrols', () => import('./views/patrols/patrols-view.js').then((m) => m.patrolsView)))
  .add('/recordings', lazyView('recordings', () => import('./views/recording/recording-view.js').then((m) => m.recordingView)))
  .add('/admin', lazyView('admin', () => import('./views/admin/admin-view.js').then((m) => m.adminView)))
  .add('/testruns', lazyView('testruns', () => import('./views/testruns/testruns-view.js').then((m) => m.testrunsView)))
  .add('/decision', lazyView('decision', () => import('./views/decision/decision-view.js').then((m) => m.decisionView), ['/api/reports/decision']))
  .add('/reports/:arg?', lazyView('reports', () => import('./views/reports/reports-view.js').then((m) => m.reportsView)))
  .add('/sitemap', lazyView('sitemap', () => import('./views/sitemap/sitemap-view.js').then((m) => m.sitemapView)))
  .add('/', lazyView('home', () => floor().then((m) => m.homeView)));

/** A leader's home is the decision view (issue 20), not the points table. */
const startPath = (role: string | undefined) => {
  const path = pathOfHash(location.hash);
  return role === 'leader' && path === '/' ? '/decision' : path;
};

/**
 * Boot with a stored session: what the first screen needs starts at once instead of one after
 * another — the current route's chunk, its first data and /api/site — while /api/auth/me decides
 * whether the session is still good. Returns the early /api/site answer (none without a token).
 */
function startEarly(stored: SessionInfo | null): Promise<SiteTree> | undefined {
  const route = routes.resolve(startPath(stored?.role));
  void route?.view.preload().catch(() => undefined); // the view's mount shows a failure
  if (!stored) return undefined;
  const hub = { baseUrl: '', token: () => stored.token };
  for (const path of route?.view.firstData ?? []) prefetchJson(hub, path);
  const site = hubJson<SiteTree>(hub, 'GET', '/api/site');
  site.catch(() => undefined); // used only when /me says the session is good
  return site;
}

/** Runs `run` once the next frame is painted — or after 500 ms in a hidden tab, which paints none. */
function afterFirstFrame(run: () => void): void {
  let done = false;
  const once = () => {
    if (!done) run();
    done = true;
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 500);
}

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

  const enterConsole = async (current: SessionInfo, earlySite?: Promise<SiteTree>) => {
    teardown?.();
    teardown = null;
    root.replaceChildren(h('p', { class: 'boot-status' }, t('nav.loading')));
    let site;
    try {
      // The early answer was asked with the stored token; /me may have renewed it: ask again then.
      site = earlySite ? await earlySite.catch(() => api.site()) : await api.site();
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
    }, undefined, { connect: false });
    shell.attachLive(live);
    const ctx: ViewContext = { api, session: current, site, live };

    const render = () => {
      const path = startPath(current.role);
      if (path !== pathOfHash(location.hash)) history.replaceState(null, '', `#${path}`);
      const match: RouteMatch<ViewModule> = routes.resolve(path) ?? { view: notFoundView, params: {} };
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
    // The Socket.IO handshake (polling, then the upgrade) is not what the first screen waits for.
    afterFirstFrame(() => live.connect());

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
  const earlySite = startEarly(session);
  api
    .me()
    .then((me) => {
      const renewed = me.token && me.token !== session?.token;
      session = { ...me, token: me.token || session?.token || '' };
      saveSession(sessionStorage, session);
      return enterConsole(session, renewed ? undefined : earlySite);
    })
    .catch((err: ApiRequestError) => {
      session = null;
      clearSession(sessionStorage);
      showLogin(err.status === 0 ? () => t('error.network', { message: err.message }) : undefined);
    });
}
