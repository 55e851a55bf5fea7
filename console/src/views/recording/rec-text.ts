// Strings of the recording/playback page in both languages (zh-CN typed against en: a missing
// translation is a compile error). Kept beside the view; the shared tables carry only the nav label.
import { getLocale } from '../../i18n.js';

const en = {
  title: 'Recordings & timeline', at: 'Go to', go: 'Go', now: 'Now', cameras: 'Cameras (up to 4)', noCameras: 'No cameras.',
  play: 'Play', pause: 'Pause', back: 'Frame back', fwd: 'Frame forward', live: 'Live', span: 'Span',
  recorded: 'recorded', gap: 'gap', noVideo: 'No recording at this time', loading: 'Loading…', events: 'Events', noEvents: 'No events in this window.',
  filter: 'Place (building/floor/room)', watch: 'Video', addToIncident: '+ Incident', incident: 'Incident', newIncident: 'New incident',
  incidentTitle: 'Incident title', create: 'Create', created: 'Incident {id} created.', exportTitle: 'Export evidence', reason: 'Reason (required)',
  export: 'Export ±1 min', exported: 'Exported {id}: {n} file(s), manifest with SHA-256.', failed: 'Failed: {msg}', selectCamera: 'Select a camera first.',
  incidents: 'Incidents', report: 'PDF report', status: 'Status', owner: 'Owner',
  'k.alarm': 'Alarm', 'k.door': 'Door/window', 'k.command': 'Command', 'k.broadcast': 'Broadcast', 'k.workorder': 'Work order', 'k.patrol': 'Patrol', 'k.recording': 'Recording', 'k.incident': 'Incident',
  'g.camera_offline': 'camera offline', 'g.hub_down': 'hub down', 'g.disk_full': 'disk full', 'g.write_failed': 'write failed', 'g.not_scheduled': 'not scheduled', 'g.recorder_stopped': 'not recorded',
  's.recording': 'recording', 's.waiting': 'waiting (schedule)', 's.idle': 'idle', 's.disk_full': 'store full', 's.failed': 'failed', 's.off': 'off',
  's.open': 'open', 's.investigating': 'investigating', 's.closed': 'closed',
};

const zhCN: Record<keyof typeof en, string> = {
  title: '录像回放与时间线', at: '跳转到', go: '跳转', now: '现在', cameras: '摄像机（最多 4 路）', noCameras: '没有摄像机。',
  play: '播放', pause: '暂停', back: '上一帧', fwd: '下一帧', live: '实时', span: '时间跨度',
  recorded: '有录像', gap: '无录像', noVideo: '此时段无录像', loading: '加载中…', events: '事件', noEvents: '此时段没有事件。',
  filter: '位置（楼栋/楼层/房间）', watch: '看录像', addToIncident: '+ 事件单', incident: '事件单', newIncident: '新建事件单',
  incidentTitle: '事件单标题', create: '创建', created: '已创建事件单 {id}。', exportTitle: '导出证据', reason: '导出原因（必填）',
  export: '导出前后 1 分钟', exported: '已导出 {id}：{n} 个文件，附 SHA-256 清单。', failed: '失败：{msg}', selectCamera: '请先选择摄像机。',
  incidents: '事件单', report: 'PDF 报告', status: '状态', owner: '负责人',
  'k.alarm': '报警', 'k.door': '门窗', 'k.command': '操作指令', 'k.broadcast': '广播', 'k.workorder': '工单', 'k.patrol': '巡更', 'k.recording': '录像访问', 'k.incident': '事件单',
  'g.camera_offline': '摄像机离线', 'g.hub_down': '平台停机', 'g.disk_full': '存储已满', 'g.write_failed': '写入失败', 'g.not_scheduled': '计划外', 'g.recorder_stopped': '未录像',
  's.recording': '录像中', 's.waiting': '等待（录像计划）', 's.idle': '空闲', 's.disk_full': '存储已满', 's.failed': '故障', 's.off': '关闭',
  's.open': '待处理', 's.investigating': '调查中', 's.closed': '已关闭',
};

export type RecKey = keyof typeof en;

export function tr(key: RecKey, params?: Record<string, string | number>, locale = getLocale()): string {
  const s = (locale === 'zh-CN' ? zhCN : en)[key];
  return params ? s.replace(/\{(\w+)\}/g, (w, n: string) => (n in params ? String(params[n]) : w)) : s;
}

export function trAny(prefix: string, name: string): string {
  const key = `${prefix}.${name}` as RecKey;
  return key in en ? tr(key) : name;
}
