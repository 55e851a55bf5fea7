// The bell's bookkeeping, pure: the recent in-console notifications (from GET /api/notify/inbox
// and the live `notify:message` event), how many are unread, and which links are safe to open.
import type { ConsoleNotification } from '../../contracts/workorders.js';

/** How many notifications the bell keeps (the hub's inbox answers at most 50). */
export const BELL_KEEP = 50;

/** Merges newer notifications into the list: one per id, newest first, at most BELL_KEEP. */
export function mergeNotifications(list: readonly ConsoleNotification[], incoming: readonly ConsoleNotification[]): ConsoleNotification[] {
  const byId = new Map<number, ConsoleNotification>();
  for (const n of [...list, ...incoming]) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, BELL_KEEP);
}

/** Unread = newer than the newest one the user has seen (ids grow with time on the hub). */
export function unreadCount(list: readonly ConsoleNotification[], lastSeenId: number): number {
  return list.filter((n) => n.id > lastSeenId).length;
}

/** The badge text: nothing at 0, "99+" past 99 so the top bar keeps its width. */
export function badgeText(unread: number): string {
  return unread <= 0 ? '' : unread > 99 ? '99+' : String(unread);
}

/**
 * Only console routes are opened (`#/workorders/12`): the link comes from the hub's message store,
 * and a `javascript:` or off-site URL must never become a clickable link in the top bar.
 */
export function safeRoute(link: string): string | null {
  return /^#\/[A-Za-z0-9/_\-.%]*$/.test(link) ? link : null;
}

/** localStorage key of the last seen notification id, per user (a shared console has many). */
export function seenKey(user: string): string {
  return `watchfloor.bellSeen.${user}`;
}
