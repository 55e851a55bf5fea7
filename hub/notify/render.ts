// Message text in the recipient's language, single or digest, always with the deep link.
import type { WoPriority } from '../../contracts/workorders.js';
import type { Lang, Outgoing } from './types.js';
import type { Message } from './types.js';

const PRIORITY: Record<Lang, Record<WoPriority, string>> = {
  en: { critical: 'CRITICAL', high: 'High', medium: 'Medium', low: 'Low' },
  'zh-CN': { critical: '紧急', high: '高', medium: '中', low: '低' },
};
const RANK: Record<WoPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function deepLink(baseUrl: string, route: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${route.startsWith('#') ? route : `#${route}`}`;
}

export function renderOne(m: Message & { id: number }, lang: Lang, baseUrl: string): Omit<Outgoing, 'mobiles' | 'users'> {
  const url = deepLink(baseUrl, m.link);
  const open = lang === 'en' ? 'Open' : '打开';
  return {
    lang, priority: m.priority,
    subject: `[${PRIORITY[lang][m.priority]}] ${m.title[lang]}`,
    text: `${m.title[lang]}\n${m.body[lang]}\n${open}: ${url}`,
    url, messageIds: [m.id],
  };
}

export function renderDigest(ms: Array<Message & { id: number }>, lang: Lang, baseUrl: string): Omit<Outgoing, 'mobiles' | 'users'> {
  if (ms.length === 1) return renderOne(ms[0], lang, baseUrl);
  const top = ms.reduce((a, b) => (RANK[b.priority] < RANK[a.priority] ? b : a)).priority;
  const shown = ms.slice(0, 20);
  const url = deepLink(baseUrl, '#/workorders');
  const lines = shown.map((m) => `- [${PRIORITY[lang][m.priority]}] ${m.title[lang]} ${deepLink(baseUrl, m.link)}`);
  const more = ms.length - shown.length;
  const subject = lang === 'en' ? `[${PRIORITY[lang][top]}] ${ms.length} notifications (digest)` : `[${PRIORITY[lang][top]}] ${ms.length} 条通知（汇总）`;
  const tail = more > 0 ? [lang === 'en' ? `… and ${more} more` : `……另有 ${more} 条`] : [];
  return { lang, priority: top, subject, text: [subject, ...lines, ...tail, `${lang === 'en' ? 'All' : '全部'}: ${url}`].join('\n'), url, messageIds: ms.map((m) => m.id) };
}
