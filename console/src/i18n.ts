// UI strings in both languages, switchable at runtime and remembered in localStorage.
// Every visible string of the console goes through t(); the zh-CN dictionary is typed
// against the English one so a missing translation is a compile error, not a blank label.
import type { LocalizedText } from '../../contracts/point.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  'app.title': 'Watchfloor',
  'login.heading': 'Sign in to the control room',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.missing': 'Enter a username and a password.',
  'top.logout': 'Sign out',
  'top.language': 'Language',
  'top.user': 'Signed in as {name} ({role})',
  'role.viewer': 'Viewer',
  'role.guard': 'Guard',
  'role.operator': 'Operator',
  'role.energy_officer': 'Energy officer',
  'role.supervisor': 'Supervisor',
  'role.admin': 'Administrator',
  'conn.connecting': 'Connecting…',
  'conn.live': 'Live',
  'conn.reconnecting': 'Reconnecting…',
  'conn.refused': 'Not connected',
  'nav.heading': 'Site',
  'nav.loading': 'Loading site…',
  'view.notFound': 'Page not found.',
  'view.loadFailed': 'Could not load: {message}',
  'floor.heading': 'Live points',
  'floor.pick': 'Select a floor in the site tree on the left.',
  'floor.loading': 'Loading points…',
  'floor.empty': 'No points here.',
  'floor.count': '{n} points',
  'floor.unknown': 'Unknown floor: {key}',
  'col.point': 'Point',
  'col.value': 'Value',
  'col.quality': 'Quality',
  'col.age': 'Age',
  'col.control': 'Control',
  'quality.good': 'Good',
  'quality.uncertain': 'UNCERTAIN',
  'quality.bad': 'BAD',
  'quality.comm_fail': 'COMM FAIL',
  'quality.stale': 'STALE',
  'quality.none': 'NO DATA',
  'age.s': '{n} s',
  'age.min': '{n} min',
  'age.h': '{n} h',
  'age.d': '{n} d',
  'bin.on': 'On',
  'bin.off': 'Off',
  'bin.open': 'Open',
  'bin.closed': 'Closed',
  'bin.leak': 'Leak',
  'bin.dry': 'Dry',
  'bin.alarm': 'Alarm',
  'bin.normal': 'Normal',
  'bin.occupied': 'Occupied',
  'bin.vacant': 'Vacant',
  'bin.true': 'True',
  'bin.false': 'False',
  'write.setTo': 'Set {state}',
  'write.set': 'Set',
  'write.range': 'Range {min} – {max}',
  'write.pending': 'Sending…',
  'write.confirmed': '✓ Confirmed',
  'write.notConfirmed': '✗ Not confirmed (read back {value})',
  'write.error': 'Error: {message}',
  'write.notANumber': 'Enter a number.',
  'write.lockedCommFail': 'The device is not answering: no command can reach it.',
  'write.lockedUnknown': 'Current value unknown: wait for a reading before switching.',
  'write.outOfRange': 'Outside the range {min} – {max}.',
  'drivers.heading': 'Connections',
  'drivers.none': 'No connection status yet',
  'driver.connecting': 'connecting',
  'driver.online': 'online',
  'driver.offline': 'offline',
  'driver.auth_failed': 'authentication failed',
  'driver.stopped': 'stopped',
  'error.network': 'Cannot reach the hub ({message}).',
  'error.session': 'Your session has ended. Please sign in again.',
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  'app.title': 'Watchfloor 综合监控',
  'login.heading': '登录监控中心',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.busy': '正在登录…',
  'login.missing': '请输入用户名和密码。',
  'top.logout': '退出登录',
  'top.language': '语言',
  'top.user': '当前用户 {name}（{role}）',
  'role.viewer': '观察员',
  'role.guard': '保安',
  'role.operator': '操作员',
  'role.energy_officer': '能源管理员',
  'role.supervisor': '值班主管',
  'role.admin': '系统管理员',
  'conn.connecting': '正在连接…',
  'conn.live': '实时',
  'conn.reconnecting': '正在重连…',
  'conn.refused': '未连接',
  'nav.heading': '站点',
  'nav.loading': '正在加载站点…',
  'view.notFound': '页面不存在。',
  'view.loadFailed': '加载失败：{message}',
  'floor.heading': '实时点位',
  'floor.pick': '请在左侧站点树中选择楼层。',
  'floor.loading': '正在加载点位…',
  'floor.empty': '此处没有点位。',
  'floor.count': '{n} 个点位',
  'floor.unknown': '未知楼层：{key}',
  'col.point': '点位',
  'col.value': '数值',
  'col.quality': '质量',
  'col.age': '更新于',
  'col.control': '控制',
  'quality.good': '正常',
  'quality.uncertain': '不确定',
  'quality.bad': '故障',
  'quality.comm_fail': '通信故障',
  'quality.stale': '过期',
  'quality.none': '无数据',
  'age.s': '{n} 秒',
  'age.min': '{n} 分钟',
  'age.h': '{n} 小时',
  'age.d': '{n} 天',
  'bin.on': '开',
  'bin.off': '关',
  'bin.open': '打开',
  'bin.closed': '关闭',
  'bin.leak': '漏水',
  'bin.dry': '无漏水',
  'bin.alarm': '报警',
  'bin.normal': '正常',
  'bin.occupied': '有人',
  'bin.vacant': '无人',
  'bin.true': '是',
  'bin.false': '否',
  'write.setTo': '设为{state}',
  'write.set': '设定',
  'write.range': '范围 {min} – {max}',
  'write.pending': '正在下发…',
  'write.confirmed': '✓ 已确认',
  'write.notConfirmed': '✗ 未确认（回读 {value}）',
  'write.error': '错误：{message}',
  'write.notANumber': '请输入数字。',
  'write.lockedCommFail': '设备无响应，无法下发命令。',
  'write.lockedUnknown': '当前值未知，请等待读数后再操作。',
  'write.outOfRange': '超出范围 {min} – {max}。',
  'drivers.heading': '设备连接',
  'drivers.none': '暂无连接状态',
  'driver.connecting': '连接中',
  'driver.online': '在线',
  'driver.offline': '离线',
  'driver.auth_failed': '认证失败',
  'driver.stopped': '已停止',
  'error.network': '无法连接服务器（{message}）。',
  'error.session': '会话已结束，请重新登录。',
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
const listeners = new Set<(locale: Locale) => void>();

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // not remembered, still switched
  }
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
