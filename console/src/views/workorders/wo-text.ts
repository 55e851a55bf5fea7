// Strings of the work-order pages, in both languages (typed: a missing zh-CN entry is a compile
// error). Kept beside the views so the shared message tables change by one nav label only.
import { getLocale } from '../../i18n.js';

const en = {
  title: 'Work orders', mine: 'My orders', all: 'All open', requested: 'Reported by me', report: 'Report a fault', stats: 'Statistics',
  empty: 'No work orders here.', loading: 'Loading…', back: '← Orders', offline: 'Offline: {n} update(s) will be sent when back online.',
  queued: 'Saved offline; it will be sent when the connection is back.', conflict: 'Refused: {msg}', sent: 'Sent.',
  'f.title': 'What is wrong', 'f.description': 'Details', 'f.trade': 'Trade', 'f.area': 'Where (building/floor/room)', 'f.priority': 'Priority', 'f.device': 'Device (optional)',
  'f.submit': 'Send report', 'f.workDone': 'Work done', 'f.parts': 'Parts used (name × qty, one a line; add "!" if the old part was damaged)',
  'f.note': 'Note / reason', 'f.assignee': 'Assign to', 'f.photo': 'Add photo', 'f.rate': 'Rate this repair', 'f.comment': 'Comment',
  timeline: 'Timeline', photos: 'Photos', parts: 'Parts', respondBy: 'Respond by', fixBy: 'Fix by', overdue: 'overdue', assignee: 'Assignee', requester: 'Reported by',
  alarm: 'Alarm', source: 'Source', escalation: 'Escalation level {n}', version: 'v{n}', csv: 'Download CSV', by: 'Group by',
  'a.accept': 'Accept', 'a.depart': 'On my way', 'a.arrive': 'Arrived', 'a.finish': 'Done', 'a.verify': 'Verify', 'a.close': 'Close',
  'a.reassign': 'Reassign', 'a.cancel': 'Cancel order', 'a.reject': 'Hand back', 'a.assign': 'Assign',
  's.new': 'New', 's.assigned': 'Assigned', 's.accepted': 'Accepted', 's.en_route': 'On the way', 's.on_site': 'On site', 's.done': 'Done', 's.verified': 'Verified', 's.closed': 'Closed', 's.cancelled': 'Cancelled',
  'p.critical': 'Critical', 'p.high': 'High', 'p.medium': 'Medium', 'p.low': 'Low',
  't.electrical': 'Electrical', 't.hvac': 'HVAC', 't.plumbing': 'Plumbing', 't.security': 'Security', 't.cleaning': 'Cleaning', 't.it': 'IT / weak current',
  'src.alarm': 'Alarm', 'src.derived': 'Detected fault', 'src.patrol': 'Patrol', 'src.manual': 'Reported',
  'col.key': 'Group', 'col.orders': 'Orders', 'col.closed': 'Closed', 'col.mtta': 'MTTA (min)', 'col.mttr': 'MTTR (min)', 'col.sla': 'SLA met %',
  'col.parts': 'Parts', 'col.damage': 'Damage %', 'col.sat': 'Satisfaction', repeat: 'Repeat faults', pushOn: 'Phone notifications', pushDone: 'Notifications on for this phone.',
  'k.create': 'Created', 'k.escalate': 'Escalated', 'k.photo': 'Photo', 'k.rate': 'Rated',
  inbox: 'Notifications',
  'by.trade': 'Trade', 'by.area': 'Area', 'by.month': 'Month', 'by.person': 'Person',
};

const zhCN: Record<keyof typeof en, string> = {
  title: '维修工单', mine: '我的工单', all: '全部未完成', requested: '我报修的', report: '报修', stats: '统计报修',
  empty: '暂无工单。', loading: '加载中…', back: '← 工单', offline: '离线：{n} 条更新将在恢复网络后发送。',
  queued: '已离线保存，恢复网络后自动发送。', conflict: '被拒绝：{msg}', sent: '已发送。',
  'f.title': '故障描述', 'f.description': '详细说明', 'f.trade': '专业', 'f.area': '位置（楼栋/楼层/房间）', 'f.priority': '优先级', 'f.device': '设备（可选）',
  'f.submit': '提交报修', 'f.workDone': '处理情况', 'f.parts': '使用配件（名称 × 数量，每行一个；旧件损坏加“!”）',
  'f.note': '备注 / 原因', 'f.assignee': '派给', 'f.photo': '添加照片', 'f.rate': '评价本次维修', 'f.comment': '评语',
  timeline: '处理记录', photos: '照片', parts: '配件', respondBy: '响应时限', fixBy: '修复时限', overdue: '已超时', assignee: '处理人', requester: '报修人',
  alarm: '报警', source: '来源', escalation: '升级第 {n} 级', version: '版本 {n}', csv: '下载 CSV', by: '分组',
  'a.accept': '接单', 'a.depart': '出发', 'a.arrive': '到场', 'a.finish': '完工', 'a.verify': '验收', 'a.close': '关闭',
  'a.reassign': '改派', 'a.cancel': '取消工单', 'a.reject': '退单', 'a.assign': '派单',
  's.new': '待派', 's.assigned': '已派单', 's.accepted': '已接单', 's.en_route': '在途', 's.on_site': '到场', 's.done': '已完工', 's.verified': '已验收', 's.closed': '已关闭', 's.cancelled': '已取消',
  'p.critical': '紧急', 'p.high': '高', 'p.medium': '中', 'p.low': '低',
  't.electrical': '强电', 't.hvac': '暖通空调', 't.plumbing': '给排水', 't.security': '安防', 't.cleaning': '保洁', 't.it': '弱电',
  'src.alarm': '报警', 'src.derived': '故障检测', 'src.patrol': '巡更', 'src.manual': '报修',
  'col.key': '分组', 'col.orders': '工单数', 'col.closed': '已关闭', 'col.mtta': '平均响应(分)', 'col.mttr': '平均修复(分)', 'col.sla': '时限达标%',
  'col.parts': '配件', 'col.damage': '损坏率%', 'col.sat': '满意度', repeat: '重复故障', pushOn: '手机通知', pushDone: '本机已开启通知。',
  'k.create': '创建', 'k.escalate': '升级', 'k.photo': '照片', 'k.rate': '评价',
  inbox: '通知',
  'by.trade': '专业', 'by.area': '区域', 'by.month': '月份', 'by.person': '人员',
};

export type WoKey = keyof typeof en;

export function tr(key: WoKey, params?: Record<string, string | number>, locale = getLocale()): string {
  const s = (locale === 'zh-CN' ? zhCN : en)[key];
  return params ? s.replace(/\{(\w+)\}/g, (w, n: string) => (n in params ? String(params[n]) : w)) : s;
}

/** A label key that may not exist (state, trade, action names from the hub): falls back to the raw name. */
export function trAny(prefix: string, name: string): string {
  const key = `${prefix}.${name}` as WoKey;
  return key in en ? tr(key) : name;
}
