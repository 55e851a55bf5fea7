// Texts of the alarm pages (list, dialogs, journal, KPIs) in both UI languages. Kept beside the
// views so the shell's dictionary (console/src/i18n.ts) is not a shared edit point; follows the
// console's current language, and zh-CN is typed against en so a missing translation fails tsc.
import { getLocale } from '../../i18n.js';

const en = {
  title: 'Alarms',
  'nav.list': 'Alarm list', 'nav.journal': 'Journal', 'nav.kpi': 'Performance (KPI)',
  'col.priority': 'Priority', 'col.state': 'State', 'col.area': 'Location', 'col.message': 'Alarm', 'col.value': 'Value', 'col.age': 'Age', 'col.actions': 'Actions',
  'priority.critical': 'Critical', 'priority.high': 'High', 'priority.medium': 'Medium', 'priority.low': 'Low',
  'state.normal': 'Normal', 'state.unacknowledged': 'Unacknowledged', 'state.acknowledged': 'Acknowledged', 'state.rtn_unacknowledged': 'Cleared, unacknowledged',
  'state.latched': 'Latched (reset needed)', 'state.shelved': 'Shelved', 'state.suppressed': 'Suppressed', 'state.out_of_service': 'Out of service',
  'filter.area': 'Location', 'filter.everywhere': 'All locations', 'filter.priority': 'Priority', 'filter.all': 'All', 'filter.hidden': 'Show shelved / suppressed / out of service',
  'filter.group': 'Group by location',
  ack: 'Acknowledge', shelve: 'Shelve…', unshelve: 'Unshelve', oos: 'Out of service…', 'oos.short': 'OOS…', rts: 'Return to service', notes: 'Notes', 'notes.hide': 'Hide notes',
  reset: 'Reset', 'reset.title': 'Reset this latched alarm (the condition has cleared)',
  'ack.title': 'Acknowledge this alarm', 'ackArea.title': 'Acknowledge every alarm in {area}', ackArea: 'Acknowledge all in {area} ({n})',
  'prompt.comment': 'Comment (optional)', cancel: 'Cancel',
  'shelve.title': 'Shelve alarm', 'oos.title': 'Take alarm out of service', 'shelve.confirm': 'Shelve', 'oos.confirm': 'Take out of service',
  'dialog.duration': 'Shelve for', 'dialog.reason': 'Reason (required, kept in the journal)', 'dialog.needReason': 'Enter a reason.', 'dialog.needDuration': 'Choose how long.',
  'thread.placeholder': 'Add a note for the next shift…', 'thread.add': 'Add note', 'thread.loading': 'Loading notes…', 'thread.empty': 'No notes yet.',
  'kind.activate': 'Raised', 'kind.clear': 'Cleared', 'kind.ack': 'Acknowledged', 'kind.re-alarm': 'Re-alarmed', 'kind.escalate': 'Escalated',
  'kind.shelve': 'Shelved', 'kind.unshelve': 'Unshelved', 'kind.shelve-expired': 'Shelve expired', 'kind.out-of-service': 'Out of service',
  'kind.return-to-service': 'Returned to service', 'kind.suppress': 'Suppressed', 'kind.unsuppress': 'Unsuppressed', 'kind.comment': 'Note',
  escalated: 'Escalated', since: 'Since {time}',
  'goto.floor': 'Show on the floor', 'goto.wall': 'Show in the 3D view', 'goto.wallShort': '3D',
  flood: 'Alarm flood: {n} new alarms in 10 minutes.', 'flood.hint': 'Grouped by location — most first:',
  summary: '{n} waiting for acknowledgement',
  empty: 'No alarms.', 'link.down': 'Live link down: the list may be out of date.',
  'sound.on': 'Sound: on', 'sound.muted': 'Sound: off', 'sound.blocked': 'Sound: click to enable', 'sound.unsupported': 'No sound in this browser',
  'sound.title': 'Beep for new critical and high alarms (remembered on this console)',
  failed: 'Failed: {message}',
  // journal
  'j.title': 'Alarm journal', 'j.time': 'Time', 'j.kind': 'Event', 'j.state': 'State after', 'j.user': 'By', 'j.comment': 'Comment / reason',
  'j.from': 'From', 'j.to': 'To', 'j.point': 'Point id', 'j.apply': 'Search', 'j.reset': 'Clear filters', 'j.csv': 'Export CSV',
  'j.newer': '‹ Newer', 'j.older': 'Older ›', 'j.pageN': 'Page {n}', 'j.empty': 'No journal entries match.', 'j.loading': 'Loading…',
  'j.system': 'system', 'j.badTime': '{field}: not a valid date and time.', 'j.badRange': '"From" must be before "To".',
  // KPIs
  'kpi.title': 'Alarm system performance', 'kpi.period': '{from} – {to} · {periods} ten-minute periods · {positions} operator position(s)',
  'kpi.preset.24h': 'Last 24 h', 'kpi.preset.7d': 'Last 7 days', 'kpi.preset.30d': 'Last 30 days',
  'kpi.avg': 'Alarms per 10 min per operator (average)', 'kpi.avg.target': 'Target ≤ 1, at most 2 (EEMUA 191)',
  'kpi.peak': 'Busiest 10 minutes', 'kpi.peak.target': 'Target ≤ 10 (ISA-18.2)',
  'kpi.flood': 'Time in flood', 'kpi.flood.target': 'Share of 10-min periods with > 10 alarms; target < 1 %',
  'kpi.chattering': 'Chattering alarms', 'kpi.chattering.target': '≥ 3 activations within 60 s; target 0',
  'kpi.stale': 'Stale alarms', 'kpi.stale.target': 'Active for more than 24 h; target 0',
  'kpi.shelved': 'Shelved now', 'kpi.shelved.target': 'Each with a reason and a time limit',
  'kpi.oos': 'Out of service now', 'kpi.oos.target': 'Each with a reason',
  'kpi.top10': 'Top 10 most frequent alarms', 'kpi.chatteringList': 'Chattering alarms', 'kpi.staleList': 'Stale alarms',
  'kpi.count': 'Count', 'kpi.maxIn60s': 'Most in 60 s', 'kpi.activeSince': 'Active since', 'kpi.none': 'None in this period.',
};
type Key = keyof typeof en;

const zhCN: Record<Key, string> = {
  title: '报警',
  'nav.list': '报警列表', 'nav.journal': '报警日志', 'nav.kpi': '报警绩效（KPI）',
  'col.priority': '优先级', 'col.state': '状态', 'col.area': '位置', 'col.message': '报警内容', 'col.value': '当前值', 'col.age': '持续', 'col.actions': '操作',
  'priority.critical': '紧急', 'priority.high': '高', 'priority.medium': '中', 'priority.low': '低',
  'state.normal': '正常', 'state.unacknowledged': '未确认', 'state.acknowledged': '已确认', 'state.rtn_unacknowledged': '已恢复未确认',
  'state.latched': '已锁存（需复位）', 'state.shelved': '已搁置', 'state.suppressed': '已抑制', 'state.out_of_service': '已停用',
  'filter.area': '位置', 'filter.everywhere': '全部位置', 'filter.priority': '优先级', 'filter.all': '全部', 'filter.hidden': '显示搁置 / 抑制 / 停用',
  'filter.group': '按位置分组',
  ack: '确认', shelve: '搁置…', unshelve: '取消搁置', oos: '停用…', 'oos.short': '停用…', rts: '恢复启用', notes: '备注', 'notes.hide': '收起备注',
  reset: '复位', 'reset.title': '复位此锁存报警（报警条件已消失）',
  'ack.title': '确认此报警', 'ackArea.title': '确认{area}的全部报警', ackArea: '确认{area}全部（{n}）',
  'prompt.comment': '备注（可选）', cancel: '取消',
  'shelve.title': '搁置报警', 'oos.title': '停用报警', 'shelve.confirm': '搁置', 'oos.confirm': '停用',
  'dialog.duration': '搁置时长', 'dialog.reason': '原因（必填，记入日志）', 'dialog.needReason': '请填写原因。', 'dialog.needDuration': '请选择时长。',
  'thread.placeholder': '为下一班留言…', 'thread.add': '添加备注', 'thread.loading': '正在加载备注…', 'thread.empty': '暂无备注。',
  'kind.activate': '报警触发', 'kind.clear': '报警恢复', 'kind.ack': '已确认', 'kind.re-alarm': '再次报警', 'kind.escalate': '已升级',
  'kind.shelve': '已搁置', 'kind.unshelve': '取消搁置', 'kind.shelve-expired': '搁置到期', 'kind.out-of-service': '已停用',
  'kind.return-to-service': '恢复启用', 'kind.suppress': '已抑制', 'kind.unsuppress': '解除抑制', 'kind.comment': '备注',
  escalated: '已升级', since: '发生于 {time}',
  'goto.floor': '在楼层中查看', 'goto.wall': '在三维视图中查看', 'goto.wallShort': '3D',
  flood: '报警泛滥：10 分钟内 {n} 条新报警。', 'flood.hint': '按位置分组（由多到少）：',
  summary: '{n} 条待确认',
  empty: '无报警。', 'link.down': '实时连接中断：列表可能不是最新。',
  'sound.on': '声音：开', 'sound.muted': '声音：关', 'sound.blocked': '声音：点击启用', 'sound.unsupported': '此浏览器不支持声音',
  'sound.title': '新的紧急和高优先级报警时蜂鸣（本控制台记住此设置）',
  failed: '操作失败：{message}',
  'j.title': '报警日志', 'j.time': '时间', 'j.kind': '事件', 'j.state': '事件后状态', 'j.user': '操作人', 'j.comment': '备注 / 原因',
  'j.from': '开始', 'j.to': '结束', 'j.point': '点位 ID', 'j.apply': '查询', 'j.reset': '清除筛选', 'j.csv': '导出 CSV',
  'j.newer': '‹ 较新', 'j.older': '较早 ›', 'j.pageN': '第 {n} 页', 'j.empty': '没有符合条件的日志。', 'j.loading': '正在加载…',
  'j.system': '系统', 'j.badTime': '{field}：日期时间无效。', 'j.badRange': '“开始”必须早于“结束”。',
  'kpi.title': '报警系统绩效', 'kpi.period': '{from} – {to} · {periods} 个 10 分钟时段 · {positions} 个操作岗位',
  'kpi.preset.24h': '最近 24 小时', 'kpi.preset.7d': '最近 7 天', 'kpi.preset.30d': '最近 30 天',
  'kpi.avg': '每操作岗位每 10 分钟报警数（平均）', 'kpi.avg.target': '目标 ≤ 1，最多 2（EEMUA 191）',
  'kpi.peak': '最繁忙的 10 分钟', 'kpi.peak.target': '目标 ≤ 10（ISA-18.2）',
  'kpi.flood': '泛滥时间占比', 'kpi.flood.target': '报警数 > 10 的 10 分钟时段占比；目标 < 1 %',
  'kpi.chattering': '振荡报警', 'kpi.chattering.target': '60 秒内触发 ≥ 3 次；目标 0',
  'kpi.stale': '陈旧报警', 'kpi.stale.target': '持续超过 24 小时；目标 0',
  'kpi.shelved': '当前搁置', 'kpi.shelved.target': '均有原因和时限',
  'kpi.oos': '当前停用', 'kpi.oos.target': '均有原因',
  'kpi.top10': '最频繁的 10 个报警', 'kpi.chatteringList': '振荡报警', 'kpi.staleList': '陈旧报警',
  'kpi.count': '次数', 'kpi.maxIn60s': '60 秒内最多', 'kpi.activeSince': '持续自', 'kpi.none': '此期间无。',
};

export type AlarmTextKey = Key;

/** Pure lookup in a given language (tests), with `{name}` interpolation. */
export function alarmText(locale: 'en' | 'zh-CN', key: Key, params: Record<string, string | number> = {}): string {
  const template = (locale === 'zh-CN' ? zhCN : en)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Text in the console's current language. */
export function at(key: Key, params: Record<string, string | number> = {}): string {
  return alarmText(getLocale(), key, params);
}
