// UI strings in both languages, switchable at runtime and remembered in localStorage.
// Every visible string of the console goes through t(); the zh-CN dictionary is typed
// against the English one so a missing translation is a compile error, not a blank label.
import type { LocalizedText } from '../../contracts/point.js';
import * as core from './messages/core.js';
import * as cameras from './messages/cameras.js';
import * as control from './messages/control.js';
import * as controlBroadcast from './messages/control-broadcast.js';
import * as controlEnergy from './messages/control-energy.js';
import * as controlLighting from './messages/control-lighting.js';
import * as controlOverrides from './messages/control-overrides.js';
import * as controlSchedules from './messages/control-schedules.js';
import * as historyHealth from './messages/history-health.js';
import * as shell from './messages/shell.js';
import * as sitemap from './messages/sitemap.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

// The tables live per area in ./messages/ (each typed zh-CN against en); one key space here.
const en = {
  ...core.en, ...cameras.en, ...historyHealth.en, ...shell.en, ...sitemap.en,
  ...control.en, ...controlSchedules.en, ...controlOverrides.en, ...controlLighting.en, ...controlEnergy.en, ...controlBroadcast.en,
};

/** Keys found in more than one of the tables (each table's keys checked against those before it). */
type KeysInTwo<T extends readonly object[], Seen = never> =
  T extends readonly [infer H, ...infer R extends readonly object[]] ? (keyof H & Seen) | KeysInTwo<R, Seen | keyof H> : never;
type Tables = [
  typeof core.en, typeof cameras.en, typeof historyHealth.en, typeof shell.en, typeof sitemap.en,
  typeof control.en, typeof controlSchedules.en, typeof controlOverrides.en, typeof controlLighting.en, typeof controlEnergy.en, typeof controlBroadcast.en,
];
// A key in two areas would silently override the other in the spread above: a compile error
// naming the key instead.
const noKeyInTwoTables: [KeysInTwo<Tables>] extends [never] ? true : { keyInTwoTables: KeysInTwo<Tables> } = true;
void noKeyInTwoTables;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  ...core.zhCN, ...cameras.zhCN, ...historyHealth.zhCN, ...shell.zhCN, ...sitemap.zhCN,
  ...control.zhCN, ...controlSchedules.zhCN, ...controlOverrides.zhCN, ...controlLighting.zhCN, ...controlEnergy.zhCN, ...controlBroadcast.zhCN,
};

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export type Params = Record<string, string | number>;

/** Pure lookup with `{name}` interpolation; an unknown placeholder is left visible so it gets noticed. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = DICTIONARIES[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** zh-CN for any Chinese browser language, else English; a stored choice wins. */
export function detectLocale(browserLanguage: string | undefined, stored: string | null): Locale {
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  return browserLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const LOCALE_STORAGE_KEY = 'watchfloor.locale';

function readStoredLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled (privacy mode): fall back to the browser language
  }
}

let current: Locale = detectLocale(globalThis.navigator?.language, readStoredLocale());
/** Storage key of the signed-in user's choice (null before sign-in: the login page uses the shared key). */
let activeUserKey: string | null = null;

/** The storage key of one user's language: each person at a shared console keeps theirs. */
export const userLocaleKeyOf = (username: string) => `${LOCALE_STORAGE_KEY}.${username}`;

/** After sign-in: switch to the language this user chose last time (if any), and remember theirs from now on. */
export function useUserLocale(username: string): void {
  activeUserKey = userLocaleKeyOf(username);
  let stored: string | null = null;
  try {
    stored = globalThis.localStorage?.getItem(activeUserKey) ?? null;
  } catch {
    stored = null;
  }
  if (stored && (LOCALES as readonly string[]).includes(stored)) setLocale(stored as Locale);
  else remember(current);
}

function remember(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale);
    if (activeUserKey) globalThis.localStorage?.setItem(activeUserKey, locale);
  } catch {
    // not remembered, still switched
  }
}
const listeners = new Set<(locale: Locale) => void>();

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  remember(locale);
  if (globalThis.document) document.documentElement.lang = locale;
  for (const listener of listeners) listener(locale);
}

/** Runs on every language switch; returns an unsubscribe function. */
export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

export function localized(text: LocalizedText | undefined, locale: Locale = current): string {
  if (!text) return '';
  return text[locale] || text.en;
}

/** Language names are shown in their own language so anyone can find theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, decimals: number, locale: Locale = current): string {
  const cacheKey = `${locale}|${decimals}`;
  let format = numberFormats.get(cacheKey);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(cacheKey, format);
  }
  return format.format(value);
}

export function formatDateTime(ts: number, locale: Locale = current): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(ts);
}
