// The frame around every view: top bar (site, alarm banner slot, link state, user, language,
// sign out), the site tree on the left, the view area, and driver connections at the bottom.
// On a phone (≤ 760 px) the same parts are laid out for one hand: the pages in a bottom tab bar
// (from nav.ts), the site tree and account in a drawer behind "Menu", and the footer as one dot.
import type { SessionInfo, SiteTree } from '../../contracts/api.js';
import type { ConnectionStatus } from '../../contracts/driver.js';
import { h, setAttr, setClass, setText } from './dom.js';
import { createAlarmBanner, type AlarmBanner } from './alarm-banner.js';
import { LOCALE_NAMES, LOCALES, getLocale, localized, setLocale, t, useUserLocale, type Locale, type MessageKey } from './i18n.js';
import { NAV, currentNavId, phoneTabs, visibleEntries, type NavEntry } from './nav.js';
import { summarizeStatus } from './status-dot.js';
import { notificationPermission, requestNotifications, type NotifyPermission } from './pwa.js';
import type { LinkState, LiveLink } from './live.js';
import { renderSiteTree, type TreeSelection } from './site-tree.js';
import { ApiClient } from './api.js';
import { createHistoryHealth, type HistoryHealthWidget } from './history-health.js';
import { Bell } from './bell.js';

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
  /** The phone's bottom tab bar (hidden on desk). */
  private readonly tabbar = h('nav', { class: 'tabbar' });
  /** Phone: opens the drawer (site tree, more pages, account). */
  private readonly menuButton = h('button', { type: 'button', class: 'btn ghost menu-button', 'data-action': 'menu', 'aria-expanded': 'false' });
  /** Phone: the footer reduced to one dot. */
  private readonly statusDot = h('span', { class: 'status-dot', role: 'img', 'data-level': 'warn' });
  /** User, language, notifications, sign out: in the top bar on desk, in the drawer on phone. */
  private readonly account = h('div', { class: 'account' });
  private readonly notifyButton = h('button', { type: 'button', class: 'btn ghost notify-button', 'data-action': 'notify' });
  private notify: NotifyPermission = notificationPermission();
  private readonly entries: NavEntry[];
  private readonly phoneQuery = globalThis.matchMedia?.('(max-width: 760px)');
  private readonly placeAccount = () => {
    if (this.phoneQuery?.matches) this.nav.append(this.account);
    else this.topbar.append(this.account);
    this.setDrawer(this.element.classList.contains('drawer-open'));
  };
  private readonly topbar: HTMLElement;
  private readonly tree = h('div', { class: 'tree-holder' });
  private readonly onHash = () => this.setDrawer(false);
  /** The notifications bell (work orders); only for users who may see work orders. */
  private readonly bell: Bell | null;

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
    this.entries = visibleEntries(NAV, session.permissions);
    this.menuButton.addEventListener('click', () => this.setDrawer(!this.element.classList.contains('drawer-open')));
    this.notifyButton.addEventListener('click', () => void requestNotifications().then((p) => { this.notify = p; this.drawNotify(); }));
    this.account.append(this.user, this.language, this.notifyButton, this.logoutButton);
    this.bell = session.permissions.includes('workorders:create')
      ? new Bell({ baseUrl: '', token: () => session.token }, session.user) : null;
    this.topbar = h('header', { class: 'topbar' },
      this.menuButton, this.siteName, this.alarmSlot, ...(this.bell ? [this.bell.element] : []), this.link, this.statusDot);
    this.nav.append(this.viewLinks, this.tree);
    this.element = h('div', { class: 'shell' }, this.topbar, this.nav, this.main, this.drivers, this.tabbar);
    this.placeAccount();
    this.phoneQuery?.addEventListener('change', this.placeAccount);
    window.addEventListener('hashchange', this.onHash);
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

  /** Phone: the drawer with the site tree, the pages not in the tab bar, and the account. */
  setDrawer(open: boolean): void {
    this.element.classList.toggle('drawer-open', open);
    setAttr(this.menuButton, 'aria-expanded', String(open));
    // A closed drawer is off screen: out of the tab order and the accessibility tree too.
    this.nav.inert = !!this.phoneQuery?.matches && !open;
  }

  select(selection: TreeSelection): void {
    this.selection = selection;
    this.markCurrentViewLink();
    this.tree.replaceChildren(renderSiteTree(this.site, selection));
  }

  /** Highlights the view link of the page on screen (`#/alarms/journal` → Alarms). */
  private markCurrentViewLink(): void {
    const current = currentNavId(location.hash);
    for (const link of this.element.querySelectorAll<HTMLElement>('.view-link, .tab')) {
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
    setText(this.menuButton, `☰ ${t('shell.menu')}`);
    this.drawNotify();
    setAttr(this.language, 'aria-label', t('top.language'));
    this.language.value = getLocale();
    this.drawLink();
    this.drawDrivers();
    this.historyHealth.relabel();
    this.drawViewLinks();
    this.banner.relabel();
    this.bell?.relabel();
    this.select(this.selection);
  }

  /** The console's live link exists: the alarm banner watches the alarm list over it. */
  attachLive(live: LiveLink): void {
    this.banner.attach(live);
    this.bell?.attach(live);
  }

  /** Closes what the shell opened (the alarm banner's subscription). */
  destroy(): void {
    this.phoneQuery?.removeEventListener('change', this.placeAccount);
    window.removeEventListener('hashchange', this.onHash);
    this.banner.destroy();
    this.bell?.destroy();
    this.historyHealth.destroy();
  }

  private drawViewLinks(): void {
    const link = (e: NavEntry, cls: string) => h('a', { href: e.href(this.site), class: cls, 'data-view': e.id }, t(e.label));
    this.viewLinks.replaceChildren(...this.entries.map((e) => link(e, 'view-link')));
    const { tabs } = phoneTabs(this.entries);
    this.tabbar.replaceChildren(
      ...tabs.map((e) => h('a', { href: e.href(this.site), class: 'tab', 'data-view': e.id },
        h('span', { class: 'tab-icon', 'aria-hidden': 'true' }, e.icon), h('span', { class: 'tab-label' }, t(e.label)))),
      h('button', { type: 'button', class: 'tab tab-more', 'data-action': 'more', onclick: () => this.setDrawer(true) },
        h('span', { class: 'tab-icon', 'aria-hidden': 'true' }, '⋯'), h('span', { class: 'tab-label' }, t('shell.more'))),
    );
  }

  private drawNotify(): void {
    const key = this.notify === 'granted' ? 'shell.notify.granted' : this.notify === 'denied' ? 'shell.notify.denied'
      : this.notify === 'unsupported' ? 'shell.notify.unsupported' : 'shell.notify.enable';
    setText(this.notifyButton, `🔔 ${t(key)}`);
    (this.notifyButton as HTMLButtonElement).disabled = this.notify !== 'default';
    this.notifyButton.dataset.permission = this.notify;
  }

  private userName() {
    // The hub sends the name in both languages; an older session stored in the tab has only `name`.
    const plain = this.session.name || this.session.user;
    return this.session.displayName ?? { en: plain, 'zh-CN': plain };
  }

  private drawStatusDot(): void {
    const s = summarizeStatus(this.linkState, this.driverStatuses);
    this.statusDot.dataset.level = s.level;
    const text = s.linkDown ? t('shell.status.down') : s.problems ? t('shell.status.problem', { n: s.problems }) : t('shell.status.ok');
    setAttr(this.statusDot, 'title', text);
    setAttr(this.statusDot, 'aria-label', text);
  }

  private drawLink(): void {
    this.drawStatusDot();
    setClass(this.link, `link link-${this.linkState}`);
    setAttr(this.link, 'data-link', this.linkState);
    setText(this.link, t(`conn.${this.linkState}` as MessageKey));
    setAttr(this.link, 'title', this.linkDetail);
  }

  private drawDrivers(): void {
    this.drawStatusDot();
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
