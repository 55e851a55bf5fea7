// The frame around every view: top bar (site, alarm banner slot, link state, user, language,
// sign out), the site tree on the left, the view area, and driver connections at the bottom.
import type { SessionInfo, SiteTree } from '../../contracts/api.js';
import type { ConnectionStatus } from '../../contracts/driver.js';
import { h, setAttr, setClass, setText } from './dom.js';
import { createAlarmBanner, type AlarmBanner } from './alarm-banner.js';
import { LOCALE_NAMES, LOCALES, getLocale, localized, setLocale, t, useUserLocale, type Locale, type MessageKey } from './i18n.js';
import { hrefOf } from './router.js';
import type { LinkState, LiveLink } from './live.js';
import { renderSiteTree, type TreeSelection } from './site-tree.js';
import { ApiClient } from './api.js';
import { createHistoryHealth, type HistoryHealthWidget } from './history-health.js';

export class Shell {
  readonly element: HTMLElement;
  /** Where views mount. */
  readonly main: HTMLElement;
  /** Reserved for the alarm banner (a later issue); empty and collapsed until then. */
  readonly alarmSlot: HTMLElement;
  private readonly siteName = h('div', { class: 'site-name' });
  private readonly link = h('div', { class: 'link link-connecting', role: 'status', 'data-link': 'connecting' });
  private readonly user = h('div', { class: 'user' });
  private readonly language = h('select', { class: 'lang' }, ...LOCALES.map((l) => h('option', { value: l }, LOCALE_NAMES[l])));
  private readonly logoutButton = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'logout' });
  private readonly nav = h('aside', { class: 'nav' });
  private readonly drivers = h('footer', { class: 'drivers' });
  private linkState: LinkState = 'connecting';
  private linkDetail = '';
  private driverStatuses: ConnectionStatus[] = [];
  private selection: TreeSelection = {};
  private readonly banner: AlarmBanner;
  /** History health in the footer, beside the connections (GET /api/health every 10 s). */
  private readonly historyHealth: HistoryHealthWidget;
  /** Views beside the site tree: the wall, trends, overview, alarms. */
  private readonly viewLinks = h('nav', { class: 'view-links' });

  constructor(private readonly site: SiteTree, private readonly session: SessionInfo, onLogout: () => void) {
    // Each person at a shared console gets the language they chose last time.
    useUserLocale(session.user);
    this.alarmSlot = h('div', { class: 'alarm-slot', 'aria-live': 'assertive' });
    this.banner = createAlarmBanner();
    this.alarmSlot.append(this.banner.element);
    this.main = h('main', { class: 'view' });
    const api = new ApiClient('', () => session.token);
    this.historyHealth = createHistoryHealth(() => api.health());
    this.language.addEventListener('change', () => setLocale(this.language.value as Locale));
    this.logoutButton.addEventListener('click', onLogout);
    const topbar = h('header', { class: 'topbar' },
      this.siteName, this.alarmSlot, this.link, this.user, this.language, this.logoutButton);
    this.element = h('div', { class: 'shell' }, topbar, this.nav, this.main, this.drivers);
    this.relabel();
  }

  setLinkState(state: LinkState, detail = ''): void {
    this.linkState = state;
    this.linkDetail = detail;
    this.banner.setLinkUp(state === 'live');
    this.drawLink();
  }

  setDrivers(statuses: ConnectionStatus[]): void {
    this.driverStatuses = [...statuses].sort((a, b) => a.connection.localeCompare(b.connection));
    this.drawDrivers();
  }

  select(selection: TreeSelection): void {
    this.selection = selection;
    this.markCurrentViewLink();
    this.nav.replaceChildren(this.viewLinks, renderSiteTree(this.site, selection));
  }

  /** Highlights the view link of the page on screen (`#/alarms/journal` → Alarms). */
  private markCurrentViewLink(): void {
    const current = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
    for (const link of this.viewLinks.querySelectorAll<HTMLElement>('.view-link')) {
      if (link.dataset.view === current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  relabel(): void {
    document.title = `${localized(this.site.name)} — ${t('app.title')}`;
    setText(this.siteName, localized(this.site.name));
    const name = localized(this.userName());
    const role = t(`role.${this.session.role}` as MessageKey);
    // "值班主管（值班主管）" says nothing twice: the role only when it differs from the name.
    setText(this.user, name === role ? t('top.userNameOnly', { name }) : t('top.user', { name, role }));
    setText(this.logoutButton, t('top.logout'));
    setAttr(this.language, 'aria-label', t('top.language'));
    this.language.value = getLocale();
    this.drawLink();
    this.drawDrivers();
    this.historyHealth.relabel();
    this.drawViewLinks();
    this.banner.relabel();
    this.select(this.selection);
  }

  /** The console's live link exists: the alarm banner watches the alarm list over it. */
  attachLive(live: LiveLink): void {
    this.banner.attach(live);
  }

  /** Closes what the shell opened (the alarm banner's subscription). */
  destroy(): void {
    this.banner.destroy();
    this.historyHealth.destroy();
  }

  private drawViewLinks(): void {
    const building = this.site.buildings[0]?.id ?? '';
    const links: Array<[MessageKey, string, string]> = [
      ['nav.wall', hrefOf('wall', building), 'wall'],
      ['nav.dashboard', hrefOf('dashboard'), 'dashboard'],
      ['nav.trends', hrefOf('trends'), 'trends'],
      ['nav.alarms', hrefOf('alarms'), 'alarms'],
      ['cam.nav', hrefOf('cameras'), 'cameras'],
      ['nav.control', '#/control/schedules', 'control'],
    ];
    this.viewLinks.replaceChildren(...links.map(([key, href, id]) => h('a', { href, class: 'view-link', 'data-view': id }, t(key))));
  }

  private userName() {
    // The hub sends the name in both languages; an older session stored in the tab has only `name`.
    const plain = this.session.name || this.session.user;
    return this.session.displayName ?? { en: plain, 'zh-CN': plain };
  }

  private drawLink(): void {
    setClass(this.link, `link link-${this.linkState}`);
    setAttr(this.link, 'data-link', this.linkState);
    setText(this.link, t(`conn.${this.linkState}` as MessageKey));
    setAttr(this.link, 'title', this.linkDetail);
  }

  private drawDrivers(): void {
    const heading = h('span', { class: 'drivers-heading' }, t('drivers.heading'));
    if (!this.driverStatuses.length) {
      this.drivers.replaceChildren(heading, h('span', { class: 'driver muted' }, t('drivers.none')), this.historyHealth.element);
      return;
    }
    this.drivers.replaceChildren(heading, ...this.driverStatuses.map((s) =>
      h('span', {
        class: `driver driver-${s.state}`,
        'data-connection': s.connection,
        'data-state': s.state,
        title: s.detail ?? '',
      }, h('span', { class: 'dot' }), `${s.connection} · ${t(`driver.${s.state}` as MessageKey)}`)), this.historyHealth.element);
  }
}
