import { describe, expect, it } from 'vitest';
import type { ConsoleNotification } from '../../contracts/workorders.js';
import { BELL_KEEP, badgeText, mergeNotifications, safeRoute, seenKey, unreadCount } from './bell-model.js';

const n = (id: number, title = `t${id}`): ConsoleNotification => ({
  id, ts: 1000 + id, priority: 'high', title: { en: title, 'zh-CN': title }, body: { en: '', 'zh-CN': '' }, link: `#/workorders/${id}`,
});

describe('mergeNotifications', () => {
  it.each([
    { name: 'empty + live', list: [], incoming: [n(3)], ids: [3] },
    { name: 'newest first', list: [n(1), n(2)], incoming: [n(5), n(4)], ids: [5, 4, 2, 1] },
    { name: 'same id once (inbox and live event overlap)', list: [n(2), n(1)], incoming: [n(2, 'again')], ids: [2, 1] },
  ])('$name', ({ list, incoming, ids }) => {
    expect(mergeNotifications(list, incoming).map((x) => x.id)).toEqual(ids);
  });
  it('keeps the newest BELL_KEEP', () => {
    const many = Array.from({ length: BELL_KEEP + 10 }, (_, i) => n(i + 1));
    const merged = mergeNotifications([], many);
    expect(merged).toHaveLength(BELL_KEEP);
    expect(merged[0].id).toBe(BELL_KEEP + 10);
    expect(merged.at(-1)!.id).toBe(11);
  });
  it('the later copy of an id wins', () => {
    expect(mergeNotifications([n(2)], [n(2, 'new')])[0].title.en).toBe('new');
  });
});

describe('unreadCount / badgeText', () => {
  it.each([
    { seen: 0, list: [n(1), n(2)], unread: 2, badge: '2' },
    { seen: 2, list: [n(1), n(2)], unread: 0, badge: '' },
    { seen: 1, list: [n(3), n(2), n(1)], unread: 2, badge: '2' },
  ])('seen $seen → $unread', ({ seen, list, unread, badge }) => {
    expect(unreadCount(list, seen)).toBe(unread);
    expect(badgeText(unread)).toBe(badge);
  });
  it.each([[0, ''], [-1, ''], [99, '99'], [100, '99+']])('badge %i → %s', (count, text) => {
    expect(badgeText(count)).toBe(text);
  });
});

describe('safeRoute', () => {
  it.each([
    ['#/workorders/12', '#/workorders/12'],
    ['#/alarms', '#/alarms'],
    ['javascript:alert(1)', null],
    ['https://evil.example/#/workorders/1', null],
    ['#/workorders/1"><img src=x>', null],
    ['', null],
  ])('%s → %s', (link, route) => {
    expect(safeRoute(link)).toBe(route);
  });
});

it('seenKey is per user', () => {
  expect(seenKey('alice')).not.toBe(seenKey('bob'));
});
