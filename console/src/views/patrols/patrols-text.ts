// Strings of the patrol pages, in both languages (typed: a missing zh-CN entry is a compile error).
import { getLocale } from '../../i18n.js';

const en = {
  title: 'Patrols', scan: 'Scan', status: 'Tour status', report: 'Compliance',
  'scan.start': 'Scan a checkpoint', 'scan.stop': 'Stop camera', 'scan.hint': 'Hold the code in the frame.', 'scan.noCamera': 'No camera: {msg}',
  'scan.ok': '✓ {name}: {status}', 'scan.refused': 'Refused: {msg}', 'scan.queued': 'Offline: saved, will be sent when back online ({n} waiting).',
  'scan.sent': 'Sent {n} offline scan(s).', 'scan.decoded': 'Read in {ms} ms', manual: 'Manual entry (supervisor override)', 'manual.checkpoint': 'Checkpoint',
  'manual.code': 'Override code (8 digits)', 'manual.send': 'Record', myRun: 'My tour', noRun: 'No tour assigned to you right now.',
  checklist: 'Inspection', pass: 'Pass', fail: 'Fail', rating: 'Rating', photo: 'Photo of the problem', note: 'Note', submit: 'Submit', cancel: 'Cancel',
  next: 'Next: {name}', due: 'due {time}', last: 'Last scan: {name} at {time} by {who}', noScan: 'No scan yet', overdue: 'Overdue: {list}',
  upcoming: 'Upcoming', in_progress: 'In progress', done: 'Done', assignee: 'Assigned to {who}', unassigned: 'Unassigned', none: 'No tours in progress.',
  's.pending': 'pending', 's.on_time': 'on time', 's.early': 'early', 's.late': 'late', 's.missed': 'missed', 's.unscheduled': 'recorded (not in a tour)',
  by: 'Group by', 'by.tour': 'Tour', 'by.person': 'Person', 'by.shift': 'Shift', 'by.area': 'Area', 'by.month': 'Month', csv: 'Download CSV',
  'col.key': 'Group', 'col.runs': 'Runs', 'col.planned': 'Planned', 'col.onTime': 'On time', 'col.late': 'Late', 'col.missed': 'Missed', 'col.early': 'Early',
  'col.order': 'Out of order', 'col.manual': 'Manual', 'col.offline': 'Offline', 'col.compliance': 'Compliance', 'col.rating': 'Rating', 'col.items': 'Items passed',
  days: 'Last {n} days', total: 'Total', sep: ', ', offlineNote: 'Offline scans are judged by the time the hub received them; the phone\'s time is shown, not counted.',
};

const zhCN: Record<keyof typeof en, string> = {
  title: '巡更巡检', scan: '扫码', status: '巡更状态', report: '合规统计',
  'scan.start': '扫描巡更点', 'scan.stop': '关闭相机', 'scan.hint': '将二维码置于取景框内。', 'scan.noCamera': '无法使用相机：{msg}',
  'scan.ok': '✓ {name}：{status}', 'scan.refused': '被拒绝：{msg}', 'scan.queued': '离线：已保存，恢复网络后发送（{n} 条待发）。',
  'scan.sent': '已发送 {n} 条离线扫码。', 'scan.decoded': '识别用时 {ms} 毫秒', manual: '手工录入（需主管授权）', 'manual.checkpoint': '巡更点',
  'manual.code': '授权码（8 位数字）', 'manual.send': '登记', myRun: '我的巡更', noRun: '当前没有分配给您的巡更。',
  checklist: '检查项', pass: '合格', fail: '不合格', rating: '评分', photo: '问题照片', note: '备注', submit: '提交', cancel: '取消',
  next: '下一个：{name}', due: '应于 {time}', last: '最近打卡：{name}，{time}，{who}', noScan: '尚未打卡', overdue: '已超时：{list}',
  upcoming: '待开始', in_progress: '进行中', done: '已结束', assignee: '执行人：{who}', unassigned: '未分配', none: '当前没有进行中的巡更。',
  's.pending': '待巡', 's.on_time': '准时', 's.early': '提前', 's.late': '迟到', 's.missed': '漏检', 's.unscheduled': '已记录（不在巡更计划内）',
  by: '分组', 'by.tour': '路线', 'by.person': '人员', 'by.shift': '班次', 'by.area': '区域', 'by.month': '月份', csv: '下载 CSV',
  'col.key': '分组', 'col.runs': '次数', 'col.planned': '应巡点', 'col.onTime': '准时', 'col.late': '迟到', 'col.missed': '漏检', 'col.early': '提前',
  'col.order': '顺序错误', 'col.manual': '手工录入', 'col.offline': '离线', 'col.compliance': '合规率', 'col.rating': '评分', 'col.items': '检查项合格率',
  days: '最近 {n} 天', total: '合计', sep: '、', offlineNote: '离线扫码按中心收到的时间判定；手机时间仅显示，不计入。',
};

export type PatrolKey = keyof typeof en;

export function tr(key: PatrolKey, params?: Record<string, string | number>): string {
  const t = (getLocale() === 'zh-CN' ? zhCN : en)[key];
  return params ? t.replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w)) : t;
}

export function trAny(prefix: string, key: string): string {
  const k = `${prefix}.${key}` as PatrolKey;
  return k in en ? tr(k) : key;
}

export const loc = (text: { en: string; 'zh-CN': string }) => text[getLocale() === 'zh-CN' ? 'zh-CN' : 'en'];
