// The journal page's queries, pure: filters → query string, and paging. The hub returns the
// newest rows first with a `to` time bound and a `limit` but no offset, so older pages are
// reached with a cursor: the time of the last row shown, skipping the rows of that same
// millisecond already shown (seq and ts both grow with every row).
import type { AlarmPriority, AlarmStateName, JournalKind, JournalRow } from '../../../../contracts/alarms.js';

export interface JournalFilter {
  from?: number;
  to?: number;
  priority?: AlarmPriority;
  state?: AlarmStateName;
  kind?: JournalKind;
  /** building[/floor[/room]] prefix. */
  area?: string;
  /** Exact point id. */
  point?: string;
}

export interface PageCursor {
  /** Time of the last row shown so far. */
  to: number;
  /** Its sequence number: older pages hold only smaller ones. */
  lastSeq: number;
  /** Rows at exactly `to` already shown (the hub returns them again). */
  seenAtTo: number;
}

export const JOURNAL_PAGE_SIZE = 50;
/** The hub's cap per request; the CSV export asks for this many. */
export const JOURNAL_EXPORT_LIMIT = 100_000;

/** Query parameters of the filter (empty ones left out). */
export function filterParams(f: JournalFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (f.from !== undefined) q.set('from', String(f.from));
  if (f.to !== undefined) q.set('to', String(f.to));
  if (f.priority) q.set('priority', f.priority);
  if (f.state) q.set('state', f.state);
  if (f.kind) q.set('kind', f.kind);
  if (f.area) q.set('area', f.area);
  if (f.point) q.set('point', f.point.trim());
  return q;
}

/** The request for one page: the first (no cursor) or the one after `cursor`; one extra row tells whether more exist. */
export function pageParams(f: JournalFilter, cursor: PageCursor | undefined, pageSize = JOURNAL_PAGE_SIZE): URLSearchParams {
  const q = filterParams(f);
  if (cursor) q.set('to', String(f.to !== undefined ? Math.min(f.to, cursor.to) : cursor.to));
  q.set('limit', String(pageSize + 1 + (cursor?.seenAtTo ?? 0)));
  return q;
}

/** The rows of the page out of the hub's answer, whether an older page exists, and its cursor. */
export function takePage(
  rows: readonly JournalRow[],
  cursor: PageCursor | undefined,
  pageSize = JOURNAL_PAGE_SIZE,
): { rows: JournalRow[]; hasMore: boolean; next: PageCursor | undefined } {
  const fresh = cursor ? rows.filter((r) => r.seq < cursor.lastSeq) : [...rows];
  const page = fresh.slice(0, pageSize);
  const hasMore = fresh.length > pageSize;
  const last = page.at(-1);
  if (!last) return { rows: page, hasMore: false, next: undefined };
  const sameMs = page.filter((r) => r.ts === last.ts).length;
  const carried = cursor && cursor.to === last.ts ? cursor.seenAtTo : 0;
  return { rows: page, hasMore, next: { to: last.ts, lastSeq: last.seq, seenAtTo: sameMs + carried } };
}

/** Link of the CSV export of everything the filter selects (the session cookie authorizes it). */
export function csvHref(f: JournalFilter, base = '/api/alarms/journal'): string {
  const q = filterParams(f);
  q.set('limit', String(JOURNAL_EXPORT_LIMIT));
  q.set('format', 'csv');
  return `${base}?${q.toString()}`;
}

/**
 * A `datetime-local` input value ("2025-03-01T08:30") as ms in the browser's time zone;
 * '' → undefined; anything else → NaN (the page names the field).
 */
export function parseLocalDateTime(value: string): number | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(y, mo - 1, d, h, mi, s || 0);
  // new Date rolls 2025-02-31 over to March: refuse instead of showing a different day.
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return Number.NaN;
  return date.getTime();
}

/** ms → the `datetime-local` input value in the browser's time zone. */
export function toLocalDateTime(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
