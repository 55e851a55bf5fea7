// Every console route the layout matrix visits and the screenshot script shoots, with the user
// who sees it (the admin can open every page). One list, so a new page is one line here.
export interface ConsoleRoute {
  /** File-name-safe name. */
  name: string;
  hash: string;
  /** Waits for this selector before measuring (the view's content, not its "loading" line). */
  ready: string;
  /** In the main screenshot set (docs/screens). */
  main?: boolean;
  /** A kiosk page: the minimum text size for 5 m applies. */
  kiosk?: boolean;
  /** Needs WebGL (the 3D wall). */
  webgl?: boolean;
}

export const CONSOLE_ROUTES: ConsoleRoute[] = [
  { name: 'home', hash: '#/', ready: '.view', main: false },
  { name: 'floor', hash: '#/floor/a/b1', ready: 'tr[data-point-id]', main: true },
  { name: 'alarms', hash: '#/alarms', ready: '.alarm-list, .alarms-view', main: true },
  { name: 'journal', hash: '#/alarms/journal', ready: '.journal-view, table', main: false },
  { name: 'kpi', hash: '#/alarms/kpi', ready: '.kpi-view, .view *', main: false },
  { name: 'dashboard', hash: '#/dashboard', ready: '.view *' },
  { name: 'trends', hash: '#/trends', ready: '.view *' },
  { name: 'schedules', hash: '#/control/schedules', ready: '.view *' },
  { name: 'overrides', hash: '#/control/overrides', ready: '.view *' },
  { name: 'lighting', hash: '#/control/lighting', ready: '.view *' },
  { name: 'energy', hash: '#/control/energy', ready: '.view *', main: true },
  { name: 'broadcast', hash: '#/control/broadcast', ready: '.view *' },
  { name: 'cameras', hash: '#/cameras', ready: '.view *' },
  { name: 'camera-wall', hash: '#/cameras/wall', ready: '.view *' },
  { name: 'wall', hash: '#/wall/a', ready: '.view *', webgl: true },
  { name: 'kiosk', hash: '#/wall/a?kiosk=1&cycle=30', ready: '.view *', main: true, webgl: true, kiosk: true },
  { name: 'admin', hash: '#/admin', ready: '.adm-table' },
  { name: 'sitemap', hash: '#/sitemap', ready: '.map-svg text', main: true },
  { name: 'sitemap-kiosk', hash: '#/sitemap?kiosk=1', ready: '.map-svg text', main: true, kiosk: true },
];

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desk', width: 1366, height: 768 },
  { name: 'wall', width: 1920, height: 1080 },
  { name: '4k', width: 3840, height: 2160 },
] as const;

export const LOCALES = [
  { name: 'en', locale: 'en-US' },
  { name: 'zh', locale: 'zh-CN' },
] as const;
