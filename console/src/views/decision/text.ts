// Strings of the decision view, the report archive and the print page, in both languages (typed:
// a missing zh-CN entry is a compile error). Kept beside the views so shared tables change by one label.
import { getLocale } from '../../i18n.js';

const en = {
  title: 'Decision view', loading: 'Loading…', failed: 'Could not load: {msg}', asOf: 'As of {time} · assembled in {ms} ms',
  now: 'Right now', critical: 'Critical alarms', emergencies: 'Open emergencies', notCurrent: 'Buildings not current', allClear: 'Nothing critical right now.',
  staleOf: '{stale} of {points} points not current', acked: 'acknowledged', unacked: 'not acknowledged',
  energy: 'Energy and water', deviations: 'Biggest deviations', noDeviation: 'No target or last-year data to compare yet.',
  day: 'Today', week: 'This week', month: 'This month', 'p.day': 'day', 'p.week': 'week', 'p.month': 'month',
  electricity: 'Electricity', water: 'Water', vsTarget: 'vs target', vsLastYear: 'vs last year', projected: 'projected', target: 'target', lastYear: 'last year',
  'against.target': 'projected vs target', 'against.lastYear': 'vs same period last year', normalised: 'weather-normalised',
  maintenance: 'Maintenance', open: 'Open orders', overdue: 'Overdue', mttr: 'Mean time to fix', satisfaction: 'Satisfaction', minutes: '{n} min', hours: '{n} h', of5: '{n} / 5',
  patrols: 'Patrol compliance', patrolDone: '{done} of {planned} checkpoints', absent: 'Not available: {why}',
  alarmHealth: 'Alarm system health (EEMUA 191, last 24 h)', rate: 'Alarms per 10 min (avg / peak)', flood: 'Time in flood', standing: 'Standing (> 24 h)', chattering: 'Chattering',
  'g.very-likely-acceptable': 'very likely acceptable', 'g.manageable': 'manageable', 'g.likely-over-demanding': 'likely over-demanding', 'g.very-likely-unacceptable': 'very likely unacceptable',
  rooms: 'Meeting rooms (last 7 days)', room: 'Room', occupied: 'Occupied', conditioned: 'Conditioned', emptyConditioned: 'Conditioned while empty', wasteful: 'Conditioned while empty: {rooms}',
  anomalies: 'Anomaly notes', noAnomalies: 'Nothing unusual.', weather: 'Weather normalisation: {why}',
  'k.night-consumption': 'Night use', 'k.weekend-consumption': 'Weekend use', 'k.running-hours': 'Running hours', 'k.repeat-fault': 'Repeat fault', 'k.patrol-missed': 'Patrol missed',
  reports: 'Reports', archive: 'Report archive', sendNow: 'Send now', kind: 'Report', lang: 'Language', recipients: 'Recipients (usernames, comma-separated; empty: the schedule\'s)',
  daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', period: 'Period', created: 'Made', by: 'By', size: 'Size', render: 'Render', download: 'PDF', sending: 'Rendering…', sent: 'Made {id}',
  schedules: 'Schedules', at: 'At', enabled: 'enabled', disabled: 'disabled', lastRun: 'Last run', emptyArchive: 'No reports yet.',
  reportTitle: '{kind} — {site}', periodLine: '{from} – {to}', generated: 'Generated {time}', dailyChart: 'Consumption per day', page: 'Watchfloor report',
};

const zhCN: Record<keyof typeof en, string> = {
  title: '领导决策', loading: '加载中…', failed: '加载失败：{msg}', asOf: '截至 {time} · 汇总用时 {ms} 毫秒',
  now: '当前状况', critical: '严重报警', emergencies: '未结紧急工单', notCurrent: '数据不实时的楼宇', allClear: '当前无严重情况。',
  staleOf: '{points} 个点中 {stale} 个不实时', acked: '已确认', unacked: '未确认',
  energy: '能耗与水耗', deviations: '偏差最大', noDeviation: '暂无目标或去年同期数据可比。',
  day: '今日', week: '本周', month: '本月', 'p.day': '日', 'p.week': '周', 'p.month': '月',
  electricity: '用电', water: '用水', vsTarget: '较目标', vsLastYear: '较去年同期', projected: '预计', target: '目标', lastYear: '去年同期',
  'against.target': '预计较目标', 'against.lastYear': '较去年同期', normalised: '气象修正后',
  maintenance: '维修保障', open: '未完成工单', overdue: '超时', mttr: '平均修复时间', satisfaction: '满意度', minutes: '{n} 分钟', hours: '{n} 小时', of5: '{n} / 5',
  patrols: '巡更完成率', patrolDone: '{planned} 个点位中完成 {done} 个', absent: '暂不可用：{why}',
  alarmHealth: '报警系统健康（EEMUA 191，近 24 小时）', rate: '每 10 分钟报警数（平均 / 峰值）', flood: '报警泛滥时间占比', standing: '长期报警（超过 24 小时）', chattering: '频繁振荡',
  'g.very-likely-acceptable': '很可能可接受', 'g.manageable': '可管理', 'g.likely-over-demanding': '可能负担过重', 'g.very-likely-unacceptable': '很可能不可接受',
  rooms: '会议室使用（近 7 天）', room: '会议室', occupied: '有人', conditioned: '空调运行', emptyConditioned: '无人仍开空调', wasteful: '无人仍开空调：{rooms}',
  anomalies: '异常提示', noAnomalies: '无异常。', weather: '气象修正：{why}',
  'k.night-consumption': '夜间用量', 'k.weekend-consumption': '周末用量', 'k.running-hours': '运行时长', 'k.repeat-fault': '重复故障', 'k.patrol-missed': '漏巡',
  reports: '报表', archive: '报表存档', sendNow: '立即发送', kind: '报表', lang: '语言', recipients: '接收人（用户名，逗号分隔；留空则用计划中的）',
  daily: '日报', weekly: '周报', monthly: '月报', period: '周期', created: '生成时间', by: '发起', size: '大小', render: '渲染', download: 'PDF', sending: '正在生成…', sent: '已生成 {id}',
  schedules: '发送计划', at: '时间', enabled: '启用', disabled: '停用', lastRun: '上次运行', emptyArchive: '暂无报表。',
  reportTitle: '{kind} — {site}', periodLine: '{from} 至 {to}', generated: '生成于 {time}', dailyChart: '每日用量', page: 'Watchfloor 报表',
};

export type DecisionKey = keyof typeof en;

export function dt(key: DecisionKey, params?: Record<string, string | number>): string {
  const template = (getLocale() === 'zh-CN' ? zhCN : en)[key];
  return params ? template.replace(/\{(\w+)\}/g, (w, n: string) => (n in params ? String(params[n]) : w)) : template;
}
