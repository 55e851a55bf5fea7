// The drill marker. An alarm raised while a test run or scenario drove its point (hub/testruns
// marks the point, the alarm engine tags the alarm and its journal entries) is never a real
// event, and must not look like one anywhere a guard reads alarms: list, detail, journal and the
// wall's strip all draw this same badge.
import { h } from '../../dom.js';
import './test-badge.css';
import { getLocale } from '../../i18n.js';

const LABEL: Record<'en' | 'zh-CN', string> = { en: 'TEST', 'zh-CN': '测试' };
const TITLE: Record<'en' | 'zh-CN', string> = {
  en: 'Raised by a test run ({tag}): not a real event',
  'zh-CN': '由测试运行（{tag}）触发：不是真实事件',
};

export function testBadgeText(locale: 'en' | 'zh-CN' = getLocale()): string {
  return LABEL[locale];
}

export function testBadgeTitle(tag: string, locale: 'en' | 'zh-CN' = getLocale()): string {
  return TITLE[locale].replace('{tag}', tag);
}

/** The badge for a test alarm, or null for a real one. */
export function testBadge(tag: string | undefined): HTMLElement | null {
  return tag ? h('span', { class: 'test-badge', title: testBadgeTitle(tag) }, testBadgeText()) : null;
}

const PREFIX = /^\[test: ([^\]]+)\]\s?/;

/** The engine writes `[test: <tag>]` in front of a test alarm's journal comments: split it off. */
export function splitTestTag(comment: string | undefined): { test?: string; comment: string } {
  const m = comment ? PREFIX.exec(comment) : null;
  if (!m) return { comment: comment ?? '' };
  return { test: m[1], comment: comment!.slice(m[0].length) };
}
