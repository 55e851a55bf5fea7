// The top-bar bell: the user's in-console notifications (work orders assigned, escalated, ...).
// It loads the inbox (GET /api/notify/inbox) when the live link is up, adds each `notify:message`
// as it arrives, shows the unread count, and lists them in a popover (a full-width sheet on a
// phone); a click opens the notification's console route, e.g. `#/workorders/12`.
import type { ConsoleNotification } from '../../contracts/workorders.js';
import { ApiRequestError, hubJson, type HubEndpoint } from './api.js';
import { h, setAttr, setText } from './dom.js';
import { formatDateTime, localized, t } from './i18n.js';
import type { LiveLink } from './live.js';
import { badgeText, mergeNotifications, safeRoute, seenKey, unreadCount } from './bell-model.js';
import './bell.css';

export class Bell {
  readonly element: HTMLElement;
  private readonly button = h('button', { type: 'button', class: 'btn ghost bell', 'data-action': 'bell', 'aria-expanded': 'false', 'aria-haspopup': 'true' });
  private readonly badge = h('span', { class: 'bell-count', 'aria-hidden': 'true' });
  private readonly panel = h('div', { class: 'bell-panel', role: 'dialog', hidden: true });
  private readonly heading = h('h3', { class: 'bell-heading' });
  private readonly list = h('ul', { class: 'bell-list' });
  private readonly status = h('p', { class: 'bell-status' });
  private items: ConsoleNotification[] = [];
  private lastSeen: number;
  private loadError = '';
  private stopLive: (() => void) | undefined;
  private readonly onDocClick = (e: MouseEvent) => {
    if (!this.element.contains(e.target as Node)) this.setOpen(false);
  };
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !this.panel.hidden) { this.setOpen(false); this.button.focus(); }
  };

  constructor(private readonly hub: HubEndpoint, private readonly user: string) {
    this.lastSeen = readSeen(user);
    this.button.append(bellIcon(), this.badge);
    this.button.addEventListener('click', () => this.setOpen(this.panel.hidden));
    this.panel.append(this.heading, this.status, this.list);
    // A click on a notification follows its link; the panel closes behind it.
    this.list.addEventListener('click', (e) => { if ((e.target as HTMLElement).closest('a')) this.setOpen(false); });
    this.element = h('div', { class: 'bell-holder' }, this.button, this.panel);
    document.addEventListener('click', this.onDocClick);
    document.addEventListener('keydown', this.onKey);
    this.relabel();
  }

  /** Follows the live link: reloads the inbox on every (re)connect, adds live messages. */
  attach(live: LiveLink): void {
    this.stopLive?.();
    this.stopLive = live.watchNotifications({
      onConnect: () => void this.load(),
      onMessage: (n) => this.add([n]),
    });
  }

  async load(): Promise<void> {
    try {
      const inbox = await hubJson<ConsoleNotification[]>(this.hub, 'GET', '/api/notify/inbox');
      this.loadError = '';
      this.add(inbox ?? []);
    } catch (err) {
      // A hub without dispatch has no inbox: no bell, rather than an error badge on every page.
      if (err instanceof ApiRequestError && err.status === 404) {
        this.element.hidden = true;
        this.stopLive?.();
        return;
      }
      this.loadError = (err as Error).message;
      this.draw();
    }
  }

  add(incoming: ConsoleNotification[]): void {
    this.items = mergeNotifications(this.items, incoming);
    // Arriving while the list is open: the user is looking at it.
    if (!this.panel.hidden) this.markSeen();
    this.draw();
  }

  get unread(): number {
    return unreadCount(this.items, this.lastSeen);
  }

  setOpen(open: boolean): void {
    if (open === !this.panel.hidden) return;
    this.panel.hidden = !open;
    setAttr(this.button, 'aria-expanded', String(open));
    if (open) this.markSeen();
    this.draw();
  }

  relabel(): void {
    setText(this.heading, t('bell.title'));
    this.draw();
  }

  destroy(): void {
    this.stopLive?.();
    document.removeEventListener('click', this.onDocClick);
    document.removeEventListener('keydown', this.onKey);
  }

  private markSeen(): void {
    const newest = this.items[0]?.id ?? 0;
    if (newest <= this.lastSeen) return;
    this.lastSeen = newest;
    try {
      globalThis.localStorage?.setItem(seenKey(this.user), String(newest));
    } catch { /* private mode: unread resets on reload, nothing worse */ }
  }

  private draw(): void {
    const unread = this.unread;
    setText(this.badge, badgeText(unread));
    this.badge.hidden = unread === 0;
    this.element.dataset.unread = String(unread);
    const label = unread ? t('bell.unread', { n: unread }) : t('bell.title');
    setAttr(this.button, 'aria-label', label);
    setAttr(this.button, 'title', label);
    setText(this.status, this.loadError ? t('bell.error', { msg: this.loadError }) : this.items.length ? '' : t('bell.empty'));
    this.status.hidden = !this.loadError && this.items.length > 0;
    this.list.replaceChildren(...this.items.map((n) => this.renderItem(n)));
  }

  private renderItem(n: ConsoleNotification): HTMLElement {
    const route = safeRoute(n.link);
    const body = [
      h('span', { class: 'bell-item-title' }, localized(n.title)),
      h('span', { class: 'bell-item-body' }, localized(n.body)),
      h('time', { class: 'bell-item-time', datetime: new Date(n.ts).toISOString() }, formatDateTime(n.ts)),
    ];
    const inner = route
      ? h('a', { href: route, class: 'bell-item-link', 'data-notification': String(n.id) }, ...body)
      : h('div', { class: 'bell-item-link' }, ...body);
    return h('li', { class: 'bell-item', 'data-priority': n.priority, 'data-unread': String(n.id > this.lastSeen) }, inner);
  }
}

/** A drawn bell: the emoji is a blank box where no colour-emoji font is installed (kiosks, Linux). */
function bellIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'bell-icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 2a1.5 1.5 0 0 0-1.5 1.5v.7A6 6 0 0 0 6 10v4.5L4 17v1h16v-1l-2-2.5V10a6 6 0 0 0-4.5-5.8v-.7A1.5 1.5 0 0 0 12 2Zm-2.2 17a2.2 2.2 0 0 0 4.4 0Z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

function readSeen(user: string): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(seenKey(user)) ?? 0);
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}
