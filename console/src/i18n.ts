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
  'nav.wall': 'Building',
  'nav.trends': 'Trends',
  'nav.dashboard': 'Overview',
  'nav.alarms': 'Alarms',
  'nav.points': 'Points',
  'wall.loading': 'Loading the building…',
  'wall.noPlan': 'No floor plan for building {id}: {message}',
  'wall.noWebgl': 'The 3D view cannot start: {message}',
  'wall.lost': 'Connection lost — data as of {time}',
  'wall.lostHint': 'Reconnecting by itself; nothing on screen is current.',
  'wall.allFloors': 'All floors',
  'wall.exploded': 'Exploded',
  'wall.stacked': 'Stacked',
  'wall.view.iso': '3D',
  'wall.view.top': 'Plan',
  'wall.view.front': 'Elevation',
  'wall.tour': 'Tour every {n} s',
  'wall.tourOff': 'Tour off',
  'wall.layers': 'Layer',
  'wall.floors': 'Floors',
  'wall.alarmsHeading': 'Alarms to acknowledge',
  'wall.activeAlarms': '{n} active',
  'wall.noAlarms': 'No alarms',
  'wall.energyToday': 'Energy today',
  'wall.vsYesterday': 'Yesterday by now: {value}',
  'wall.keyFigures': 'Key figures',
  'wall.avgTemp': 'Mean zone temperature',
  'wall.devicesDown': 'Devices not answering',
  'wall.doorsOpen': 'Doors open',
  'wall.lightsOn': 'Lighting circuits on',
  'wall.legend.normal': 'Normal',
  'wall.legend.low': 'Below normal',
  'wall.legend.high': 'Above normal',
  'wall.legend.untrusted': 'Not current',
  'wall.updated': 'Updated {time}',
  'layer.alarms': 'Alarms',
  'layer.temperature': 'Temperature',
  'layer.humidity': 'Humidity',
  'layer.co2': 'CO₂ / occupancy',
  'layer.energy': 'Power',
  'prio.critical': 'Critical',
  'prio.high': 'High',
  'prio.medium': 'Medium',
  'prio.low': 'Low',
  'banner.none': 'No alarms to acknowledge',
  'banner.mute': 'Mute alarm sound',
  'banner.unmute': 'Turn alarm sound on',
  'banner.down': 'Alarm list not connected',
  'banner.flood': 'Alarm flood',
  'banner.open': 'Open the alarm list',
  'panel.close': 'Close',
  'panel.values': 'Live values',
  'panel.alarms': 'Alarms here',
  'panel.noPoints': 'No points here.',
  'panel.table': 'Open in the points table',
  'range.1h': '1 h',
  'range.24h': '24 h',
  'range.7d': '7 d',
  'range.custom': 'Custom',
  'range.from': 'From',
  'range.to': 'To',
  'range.apply': 'Show',
  'trend.compare': 'Compare with the period before',
  'trend.previous': '{name} (period before)',
  'trend.loading': 'Loading history…',
  'trend.empty': 'No history in this range.',
  'trend.error': 'History unavailable: {message}',
  'trend.csv': 'Export CSV',
  'trend.png': 'Export PNG',
  'trends.title': 'Trends',
  'trends.search': 'Find points…',
  'trends.add': 'Add',
  'trends.remove': 'Remove {name}',
  'trends.none': 'Pick up to 8 points to plot on a shared time axis.',
  'trends.unknown': 'No point matches “{text}”.',
  'dash.title': 'Overview',
  'dash.energy': 'Energy today vs yesterday by floor (kWh)',
  'dash.today': 'Today',
  'dash.yesterday': 'Yesterday',
  'dash.alarmsByArea': 'Active alarms by area',
  'dash.zones': 'Zone temperatures vs setpoints (°C)',
  'dash.temp': 'Temperature',
  'dash.setpoint': 'Setpoint',
  // ---- cameras (console/src/video, console/src/views/cameras) ----
  'cam.title': 'Cameras',
  'cam.nav': 'Cameras',
  'cam.wall': 'Camera wall',
  'cam.wallOf': 'Wall: {n} tiles',
  'cam.loading': 'Loading cameras…',
  'cam.empty': 'No cameras are configured.',
  'cam.unknown': 'No camera {id}.',
  'cam.back': 'All cameras',
  'cam.col.camera': 'Camera',
  'cam.col.location': 'Location',
  'cam.col.status': 'Status',
  'cam.col.video': 'Video',
  'cam.state.online': 'Online',
  'cam.state.connecting': 'Connecting',
  'cam.state.offline': 'Unreachable',
  'cam.state.auth_failed': 'Authentication failed',
  'cam.state.stopped': 'Stopped',
  'cam.stream.idle': 'Not streaming',
  'cam.stream.starting': 'Starting',
  'cam.stream.live': 'Live · {n} viewers',
  'cam.stream.reconnecting': 'Reconnecting',
  'cam.stream.failed': 'Failed',
  'cam.transcoding': 'Transcoding: {detail}',
  'cam.ptzCapable': 'PTZ',
  'cam.tile.connecting': 'Connecting…',
  'cam.tile.reconnecting': 'Reconnecting…',
  'cam.tile.failed': 'Video unavailable',
  'cam.tile.stopped': 'Stopped',
  'cam.snapshot': 'Take snapshot',
  'cam.snapshot.busy': 'Taking snapshot…',
  'cam.clip': 'Record clip (10 s before, 5 s after)',
  'cam.clip.busy': 'Recording clip…',
  'cam.failed': 'Failed: {message}',
  'cam.snapshots': 'Snapshots',
  'cam.clips': 'Clips',
  'cam.files.none': 'None yet.',
  'cam.files.more': '{n} more',
  'cam.ptz.heading': 'Pan / tilt / zoom',
  'cam.ptz.none': 'This camera has no PTZ.',
  'cam.ptz.hint': 'Hold an arrow (or an arrow key; + / − to zoom) to move; release to stop.',
  'cam.ptz.up': 'Tilt up',
  'cam.ptz.down': 'Tilt down',
  'cam.ptz.left': 'Pan left',
  'cam.ptz.right': 'Pan right',
  'cam.ptz.zoomIn': 'Zoom in',
  'cam.ptz.zoomOut': 'Zoom out',
  'cam.ptz.position': 'Position',
  'cam.ptz.pan': 'Pan',
  'cam.ptz.tilt': 'Tilt',
  'cam.ptz.zoom': 'Zoom',
  'cam.ptz.goAbsolute': 'Go to position',
  'cam.ptz.presets': 'Presets',
  'cam.ptz.noPresets': 'No presets.',
  'cam.ptz.goto': 'Go to preset',
  'cam.ptz.setPreset': 'Save position as preset',
  'cam.ptz.presetName': 'New preset name',
  'cam.ptz.presetSaved': 'Preset {name} saved.',
  'cam.ptz.outOfRange': 'Refused: {axis} must be within {min} … {max} ({message})',
  'cam.ptz.refused': 'PTZ refused: {message}',
  'cam.ptz.notANumber': 'Enter numbers for pan, tilt and zoom.',
  'cam.wall.page': 'Page {n} of {total}',
  'cam.wall.exit': 'Esc: leave the wall',
  'cam.panel.close': 'Close',
  'cam.panel.open': 'Open camera page',
  'cam.alarm.heading': 'Video',
  'cam.alarm.snapshot': 'Snapshot at the alarm',
  'cam.alarm.clip': 'Clip of the alarm',
  'cam.alarm.noCapture': 'No snapshot or clip was recorded for this alarm.',
  'cam.alarm.live': 'Live: {name}',
  'cam.alarm.near.room': 'camera in the same room',
  'cam.alarm.near.floor': 'nearest camera: same floor',
  'cam.alarm.near.building': 'nearest camera: same building',
  'cam.alarm.noCamera': 'No camera near this alarm.',
  // ---- end cameras ----
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
  'nav.wall': '楼宇三维',
  'nav.trends': '趋势',
  'nav.dashboard': '总览',
  'nav.alarms': '报警',
  'nav.points': '点位',
  'wall.loading': '正在加载楼宇…',
  'wall.noPlan': '楼宇 {id} 没有平面图：{message}',
  'wall.noWebgl': '三维视图无法启动：{message}',
  'wall.lost': '连接中断 — 数据截至 {time}',
  'wall.lostHint': '正在自动重连；屏幕上的数据不是最新的。',
  'wall.allFloors': '全部楼层',
  'wall.exploded': '分层展开',
  'wall.stacked': '叠放',
  'wall.view.iso': '三维',
  'wall.view.top': '平面',
  'wall.view.front': '立面',
  'wall.tour': '每 {n} 秒轮巡',
  'wall.tourOff': '轮巡关闭',
  'wall.layers': '图层',
  'wall.floors': '楼层',
  'wall.alarmsHeading': '待确认报警',
  'wall.activeAlarms': '{n} 条活动',
  'wall.noAlarms': '无报警',
  'wall.energyToday': '今日用电',
  'wall.vsYesterday': '昨日同期：{value}',
  'wall.keyFigures': '关键指标',
  'wall.avgTemp': '区域平均温度',
  'wall.devicesDown': '无响应设备',
  'wall.doorsOpen': '开启的门',
  'wall.lightsOn': '开启的照明回路',
  'wall.legend.normal': '正常',
  'wall.legend.low': '低于正常',
  'wall.legend.high': '高于正常',
  'wall.legend.untrusted': '数据失效',
  'wall.updated': '更新于 {time}',
  'layer.alarms': '报警',
  'layer.temperature': '温度',
  'layer.humidity': '湿度',
  'layer.co2': 'CO₂ / 人员',
  'layer.energy': '功率',
  'prio.critical': '紧急',
  'prio.high': '高',
  'prio.medium': '中',
  'prio.low': '低',
  'banner.none': '无待确认报警',
  'banner.mute': '关闭报警声音',
  'banner.unmute': '打开报警声音',
  'banner.down': '报警列表未连接',
  'banner.flood': '报警泛滥',
  'banner.open': '打开报警列表',
  'panel.close': '关闭',
  'panel.values': '实时数值',
  'panel.alarms': '此处报警',
  'panel.noPoints': '此处没有点位。',
  'panel.table': '在点位表中打开',
  'range.1h': '1 小时',
  'range.24h': '24 小时',
  'range.7d': '7 天',
  'range.custom': '自定义',
  'range.from': '从',
  'range.to': '至',
  'range.apply': '显示',
  'trend.compare': '与上一周期对比',
  'trend.previous': '{name}（上一周期）',
  'trend.loading': '正在加载历史数据…',
  'trend.empty': '此时间范围内没有历史数据。',
  'trend.error': '历史数据不可用：{message}',
  'trend.csv': '导出 CSV',
  'trend.png': '导出 PNG',
  'trends.title': '趋势分析',
  'trends.search': '查找点位…',
  'trends.add': '添加',
  'trends.remove': '移除 {name}',
  'trends.none': '最多选择 8 个点位，在同一时间轴上绘制。',
  'trends.unknown': '没有匹配“{text}”的点位。',
  'dash.title': '运行总览',
  'dash.energy': '各楼层今日与昨日用电对比（kWh）',
  'dash.today': '今日',
  'dash.yesterday': '昨日',
  'dash.alarmsByArea': '各区域活动报警',
  'dash.zones': '区域温度与设定值（°C）',
  'dash.temp': '温度',
  'dash.setpoint': '设定值',
  // ---- cameras (console/src/video, console/src/views/cameras) ----
  'cam.title': '摄像机',
  'cam.nav': '摄像机',
  'cam.wall': '视频墙',
  'cam.wallOf': '视频墙：{n} 画面',
  'cam.loading': '正在加载摄像机…',
  'cam.empty': '未配置摄像机。',
  'cam.unknown': '没有摄像机 {id}。',
  'cam.back': '全部摄像机',
  'cam.col.camera': '摄像机',
  'cam.col.location': '位置',
  'cam.col.status': '状态',
  'cam.col.video': '视频',
  'cam.state.online': '在线',
  'cam.state.connecting': '连接中',
  'cam.state.offline': '不可达',
  'cam.state.auth_failed': '认证失败',
  'cam.state.stopped': '已停止',
  'cam.stream.idle': '未在推流',
  'cam.stream.starting': '正在启动',
  'cam.stream.live': '直播中 · {n} 人观看',
  'cam.stream.reconnecting': '重新连接中',
  'cam.stream.failed': '失败',
  'cam.transcoding': '正在转码：{detail}',
  'cam.ptzCapable': '云台',
  'cam.tile.connecting': '连接中…',
  'cam.tile.reconnecting': '重新连接中…',
  'cam.tile.failed': '视频不可用',
  'cam.tile.stopped': '已停止',
  'cam.snapshot': '抓拍',
  'cam.snapshot.busy': '正在抓拍…',
  'cam.clip': '录制片段（前 10 秒，后 5 秒）',
  'cam.clip.busy': '正在录制片段…',
  'cam.failed': '失败：{message}',
  'cam.snapshots': '抓拍图片',
  'cam.clips': '录像片段',
  'cam.files.none': '暂无。',
  'cam.files.more': '还有 {n} 个',
  'cam.ptz.heading': '云台控制',
  'cam.ptz.none': '此摄像机没有云台。',
  'cam.ptz.hint': '按住方向键（或键盘方向键，+ / − 变焦）转动，松开即停止。',
  'cam.ptz.up': '向上',
  'cam.ptz.down': '向下',
  'cam.ptz.left': '向左',
  'cam.ptz.right': '向右',
  'cam.ptz.zoomIn': '放大',
  'cam.ptz.zoomOut': '缩小',
  'cam.ptz.position': '当前位置',
  'cam.ptz.pan': '水平',
  'cam.ptz.tilt': '俯仰',
  'cam.ptz.zoom': '变焦',
  'cam.ptz.goAbsolute': '转到此位置',
  'cam.ptz.presets': '预置位',
  'cam.ptz.noPresets': '没有预置位。',
  'cam.ptz.goto': '转到预置位',
  'cam.ptz.setPreset': '保存为预置位',
  'cam.ptz.presetName': '新预置位名称',
  'cam.ptz.presetSaved': '预置位 {name} 已保存。',
  'cam.ptz.outOfRange': '已拒绝：{axis} 须在 {min} … {max} 之间（{message}）',
  'cam.ptz.refused': '云台命令被拒绝：{message}',
  'cam.ptz.notANumber': '请为水平、俯仰和变焦输入数字。',
  'cam.wall.page': '第 {n} / {total} 页',
  'cam.wall.exit': '按 Esc 退出视频墙',
  'cam.panel.close': '关闭',
  'cam.panel.open': '打开摄像机页面',
  'cam.alarm.heading': '视频',
  'cam.alarm.snapshot': '报警时抓拍',
  'cam.alarm.clip': '报警录像片段',
  'cam.alarm.noCapture': '此报警没有抓拍或录像。',
  'cam.alarm.live': '实时：{name}',
  'cam.alarm.near.room': '同一房间的摄像机',
  'cam.alarm.near.floor': '最近的摄像机：同一楼层',
  'cam.alarm.near.building': '最近的摄像机：同一楼栋',
  'cam.alarm.noCamera': '此报警附近没有摄像机。',
  // ---- end cameras ----
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
