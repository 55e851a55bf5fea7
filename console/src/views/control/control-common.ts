// What every control page shares: the tab strip between them (filtered by permission), the
// client bound to the session, and small display helpers.
import { can, type Permission } from '../../../../contracts/auth.js';
import type { SessionInfo } from '../../../../contracts/api.js';
import { h } from '../../dom.js';
import { formatNumber, getLocale, t, type MessageKey } from '../../i18n.js';
import type { ViewContext } from '../view.js';
import { ControlClient } from './control-api.js';

export interface ControlTab {
  id: 'schedules' | 'overrides' | 'lighting' | 'energy' | 'broadcast';
  label: MessageKey;
  /** Hidden without this permission. */
  needs?: Permission;
}

export const CONTROL_TABS: readonly ControlTab[] = [
  { id: 'schedules', label: 'ctl.tab.schedules' },
  { id: 'overrides', label: 'ctl.tab.overrides' },
  { id: 'lighting', label: 'ctl.tab.lighting' },
  { id: 'energy', label: 'ctl.tab.energy' },
  { id: 'broadcast', label: 'ctl.tab.broadcast', needs: 'broadcast:send' },
];

/** The tabs this role sees. */
export function visibleTabs(permissions: readonly string[]): ControlTab[] {
  return CONTROL_TABS.filter((tab) => !tab.needs || can(permissions, tab.needs));
}

export function renderTabs(session: SessionInfo, active: ControlTab['id']): HTMLElement {
  return h('nav', { class: 'ctl-tabs' }, ...visibleTabs(session.permissions).map((tab) =>
    h('a', { href: `#/control/${tab.id}`, class: tab.id === active ? 'ctl-tab active' : 'ctl-tab', 'data-tab': tab.id }, t(tab.label))));
}

/** A control client for this session; a 401 asks /me, whose 401 ends the session in app.ts. */
export function clientOf(ctx: ViewContext): ControlClient {
  return new ControlClient(() => ctx.session.token, () => void ctx.api.me().catch(() => undefined));
}

export function formatTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined) return '—';
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'short', timeStyle: 'short' }).format(ts);
}

/** The schedules header: who saved the version in force, or that it is still the config file's. */
export function scheduleVersionText(v: { version: number; user: string; savedAt: number }): string {
  if (v.version === 0) return t('ctl.sch.fromConfig');
  return t('ctl.sch.version', { version: v.version, user: v.user, time: formatTime(v.savedAt) });
}

/** "in 1 h 20 min" / "ended" — how long an override or a job still has. */
export function formatRemaining(until: number | null, now: number): string {
  if (until === null) return t('ctl.noExpiry');
  const ms = until - now;
  if (ms <= 0) return t('ctl.ended');
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return t('ctl.inMinutes', { n: minutes });
  return t('ctl.inHours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export function formatKind(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return t(value ? 'ctl.on' : 'ctl.off');
  if (typeof value === 'number') return formatNumber(value, Number.isInteger(value) ? 0 : 1);
  return String(value);
}

/** Today in the browser's local time as YYYY-MM-DD. */
export function todayIso(now = Date.now()): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The hub's message, or the thrown value as text. */
export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** `el.replaceChildren(...present(a, maybe && b))`: DOM append/replace take no nulls. */
export const present = (...items: Array<Node | string | null | false | undefined>): Array<Node | string> => items.filter((x): x is Node | string => !!x);
