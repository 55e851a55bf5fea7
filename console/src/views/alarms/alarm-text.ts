// Texts of the alarm view in both UI languages. Kept beside the view (the shell's dictionary
// stays untouched); follows the shell's current language.
import { getLocale } from '../../i18n.js';

const en = {
  title: 'Alarms',
  'col.priority': 'Priority', 'col.state': 'State', 'col.time': 'Since', 'col.area': 'Area', 'col.message': 'Alarm', 'col.value': 'Value', 'col.age': 'Age', 'col.actions': '',
  'priority.critical': 'Critical', 'priority.high': 'High', 'priority.medium': 'Medium', 'priority.low': 'Low',
  'state.normal': 'Normal', 'state.unacknowledged': 'Unacknowledged', 'state.acknowledged': 'Acknowledged', 'state.rtn_unacknowledged': 'Cleared, unacknowledged',
  'state.latched': 'Latched', 'state.shelved': 'Shelved', 'state.suppressed': 'Suppressed', 'state.out_of_service': 'Out of service',
  'filter.area': 'Area', 'filter.everywhere': 'Everywhere', 'filter.priority': 'Priority', 'filter.all': 'All', 'filter.hidden': 'Show shelved / suppressed',
  ack: 'Acknowledge', ackAll: 'Acknowledge all in area ({n})', shelve: 'Shelve', unshelve: 'Unshelve', oos: 'Out of service', rts: 'Return to service', comment: 'Comment',
  'prompt.comment': 'Comment (optional)', 'prompt.text': 'Comment', 'prompt.duration': 'Shelve for how many minutes?', 'prompt.reason': 'Reason',
  empty: 'No alarms.', flood: 'Alarm flood: {n} new alarms in 10 minutes', escalated: 'Escalated', 'link.down': 'Live link down: the list may be out of date.',
  'summary': '{n} waiting for acknowledgement',
  failed: 'Failed: {message}',
};
type Key = keyof typeof en;

const zhCN: Record<Key, string> = {
  title: '报警',
  'col.priority': '优先级', 'col.state': '状态', 'col.time': '发生时间', 'col.area': '区域', 'col.message': '报警内容', 'col.value': '当前值', 'col.age': '持续', 'col.actions': '',
  'priority.critical': '紧急', 'priority.high': '高', 'priority.medium': '中', 'priority.low': '低',
  'state.normal': '正常', 'state.unacknowledged': '未确认', 'state.acknowledged': '已确认', 'state.rtn_unacknowledged': '已恢复未确认',
  'state.latched': '已锁存', 'state.shelved': '已搁置', 'state.suppressed': '已抑制', 'state.out_of_service': '停用',
  'filter.area': '区域', 'filter.everywhere': '全部区域', 'filter.priority': '优先级', 'filter.all': '全部', 'filter.hidden': '显示搁置/抑制',
  ack: '确认', ackAll: '确认本区域全部（{n}）', shelve: '搁置', unshelve: '取消搁置', oos: '停用', rts: '恢复启用', comment: '备注',
  'prompt.comment': '备注（可选）', 'prompt.text': '备注', 'prompt.duration': '搁置多少分钟？', 'prompt.reason': '原因',
  empty: '无报警。', flood: '报警泛滥：10 分钟内 {n} 条新报警', escalated: '已升级', 'link.down': '实时连接中断：列表可能不是最新。',
  summary: '{n} 条待确认',
  failed: '操作失败：{message}',
};

export type AlarmTextKey = Key;

export function at(key: Key, params: Record<string, string | number> = {}): string {
  const template = (getLocale() === 'zh-CN' ? zhCN : en)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
