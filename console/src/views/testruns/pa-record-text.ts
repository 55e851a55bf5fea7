// Strings of the PA record card on the test-runs page, in both languages (a missing zh-CN entry is a compile error).
import { getLocale } from '../../i18n.js';

const en = {
  heading: 'PA: what the amplifiers received',
  hint: 'The simulated amplifiers\' record: each broadcast per zone, its codec and the pacing measured at the receiver (jitter p99 target ≤ 5 ms).',
  none: 'Nothing received yet.',
  time: 'Time',
  zone: 'Zone',
  codec: 'Codec',
  packets: 'Packets',
  duration: 'Length',
  jitter: 'Jitter p99',
  gaps: 'Gaps',
  markers: 'Marker',
  lost: 'Lost',
  playing: 'playing',
  error: 'PA record unavailable: {message}',
};

const zh: Record<keyof typeof en, string> = {
  heading: '广播：功放实际收到的内容',
  hint: '模拟功放的接收记录：每个分区的每次广播、编码，以及接收端测得的发包节奏（抖动 p99 目标 ≤ 5 毫秒）。',
  none: '尚未收到广播。',
  time: '时间',
  zone: '分区',
  codec: '编码',
  packets: '包数',
  duration: '时长',
  jitter: '抖动 p99',
  gaps: '中断',
  markers: '标记位',
  lost: '丢包',
  playing: '播放中',
  error: '无法读取广播记录：{message}',
};

export type PaRecordKey = keyof typeof en;

export function paText(key: PaRecordKey, vars: Record<string, string | number> = {}): string {
  const table = getLocale() === 'zh-CN' ? zh : en;
  return table[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}
