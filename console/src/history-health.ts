// History health in the shell footer: whether samples still reach the time-series store
// (`components.history` of GET /api/health), refreshed every 10 s. Normal is one calm item;
// a lost database, a growing spool or dead letters turn it into a warning that reads on its own.
import type { HealthResponse } from '../../contracts/api.js';
import { h, setAttr, setClass, setText } from './dom.js';
import { formatAge } from './format.js';
import { formatDateTime, formatNumber, getLocale, translate, type Locale, type MessageKey } from './i18n.js';

export const HISTORY_HEALTH_REFRESH_MS = 10_000;

/** The part of `components.history` the console reads (hub/history/store.ts HistoryStatus). */
export interface HistoryHealth {
  ok?: boolean;
  backend?: string;
  connected?: boolean;
  spooledBytes?: number;
  deadLetters?: number;
  lastWriteTs?: number | null;
  lastError?: string | null;
}

export type HistoryHealthLevel = 'ok' | 'warn' | 'fault' | 'unknown';

export interface HistoryHealthItem {
  level: HistoryHealthLevel;
  /** The footer text. */
  text: string;
  /** Every figure, for the tooltip. */
  title: string;
}

/** 1536 → "1.5 KB": binary multiples, one decimal above bytes. */
export function formatBytes(n: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, i === 0 ? 0 : 1, locale)} ${units[i]}`;
}

/**
 * What to show for one health answer (pure, table-tested). `health` undefined: the request
 * failed (`error`); no `components.history`: the hub runs without history.
 */
export function describeHistoryHealth(health: Pick<HealthResponse, 'components'> | undefined, now: number, locale: Locale, error?: string): HistoryHealthItem {
  const tr = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  if (!health) return { level: 'unknown', text: tr('hh.unknown'), title: tr('hh.requestFailed', { message: error ?? '?' }) };
  const st = health.components.history as HistoryHealth | undefined;
  if (!st) return { level: 'unknown', text: tr('hh.off'), title: tr('hh.offTitle') };
  const spooled = st.spooledBytes ?? 0;
  const dead = st.deadLetters ?? 0;
  const last = typeof st.lastWriteTs === 'number' ? st.lastWriteTs : null;
  const lastText = last === null ? tr('hh.never') : tr('hh.ago', { age: formatAge(now - last, locale) });
  const title = [
    tr('hh.titleBackend', { backend: st.backend ?? '?' }),
    tr(st.connected === false ? 'hh.titleDisconnected' : 'hh.titleConnected'),
    tr('hh.titleSpool', { size: formatBytes(spooled, locale) }),
    tr('hh.titleDead', { n: dead }),
    tr('hh.titleLastWrite', { time: last === null ? tr('hh.never') : formatDateTime(last, locale) }),
    ...(st.lastError ? [tr('hh.titleError', { message: st.lastError })] : []),
  ].join('\n');
  const parts: string[] = [];
  let level: HistoryHealthLevel = 'ok';
  if (st.connected === false) {
    level = 'fault';
    parts.push(tr('hh.disconnected'));
  }
  if (spooled > 0) {
    if (level === 'ok') level = 'warn';
    parts.push(tr('hh.spooled', { size: formatBytes(spooled, locale) }));
  }
  if (dead > 0) {
    level = 'fault';
    parts.push(tr('hh.dead', { n: dead }));
  }
  if (level === 'ok' && st.ok === false) level = 'warn';
  if (parts.length === 0) parts.push(tr(level === 'ok' ? 'hh.ok' : 'hh.degraded'));
  return { level, text: `${tr('hh.label')} · ${parts.join(' · ')} · ${tr('hh.lastWrite', { when: lastText })}`, title };
}

export interface HistoryHealthWidget {
  element: HTMLElement;
  relabel(): void;
  destroy(): void;
}

/** The footer item: asks the hub every `refreshMs`, redraws on answers and on relabel(). */
export function createHistoryHealth(fetchHealth: () => Promise<HealthResponse>, refreshMs = HISTORY_HEALTH_REFRESH_MS): HistoryHealthWidget {
  const label = h('span', { class: 'hh-text' });
  const element = h('span', { class: 'driver history-health muted', role: 'status', 'data-history': 'unknown' }, h('span', { class: 'dot' }), label);
  let last: { health?: HealthResponse; error?: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const draw = () => {
    if (!last) return;
    const item = describeHistoryHealth(last.health, Date.now(), getLocale(), last.error);
    // The footer's own classes: online = calm, connecting = amber dot, offline = red and bold.
    setClass(element, `driver history-health ${{ ok: 'driver-online', warn: 'driver-connecting hh-warn', fault: 'driver-offline', unknown: 'muted' }[item.level]}`);
    setAttr(element, 'data-history', item.level);
    setAttr(element, 'title', item.title);
    // A warning must read as one even where the stylesheet has no rule for it.
    setAttr(element, 'style', item.level === 'warn' ? 'color: var(--warn); font-weight: 600' : '');
    setText(label, item.text);
  };

  const poll = async () => {
    try {
      last = { health: await fetchHealth() };
    } catch (err) {
      last = { error: err instanceof Error ? err.message : String(err) };
    }
    if (stopped) return;
    draw();
    timer = setTimeout(() => void poll(), refreshMs);
  };
  void poll();

  return {
    element,
    relabel: draw,
    destroy() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
