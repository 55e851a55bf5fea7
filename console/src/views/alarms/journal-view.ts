// The alarm journal page (`/alarms/journal`): every transition and operator action, newest
// first, filtered by time range, priority, area, state, kind and point; paged; CSV export of
// everything the filter selects.
import { ALARM_PRIORITIES, ALARM_STATES, JOURNAL_KINDS, type AlarmPriority, type AlarmStateName, type JournalKind, type JournalRow } from '../../../../contracts/alarms.js';
import type { LocalizedText } from '../../../../contracts/point.js';
import type { PointView } from '../../../../contracts/api.js';
import { h, setText } from '../../dom.js';
import { formatValue } from '../../format.js';
import { formatDateTime, getLocale, localized } from '../../i18n.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { AlarmClient } from './alarm-client.js';
import { areaLabel } from './alarm-format.js';
import { at } from './alarm-text.js';
import { alarmTabs, paintPriorities, priorityBadgeText } from './alarms-nav.js';
import { csvHref, pageParams, parseLocalDateTime, takePage, type JournalFilter, type PageCursor } from './journal-query.js';
import { splitTestTag, testBadge } from './test-badge.js';
import './alarms.css';

const COLUMNS = ['j.time', 'col.priority', 'col.area', 'col.message', 'j.kind', 'j.state', 'j.user', 'j.comment', 'col.value'] as const;

export const journalView: ViewModule = {
  id: 'alarm-journal',
  mount(container: HTMLElement, _params, ctx: ViewContext): MountedView {
    const client = new AlarmClient(ctx.session.token);
    // Values are worded like everywhere else (`true` → "Leak", units): each point's info once.
    const pointInfos = new Map<string, PointView | null | 'loading'>();
    const valueText = (r: JournalRow): string => {
      if (r.value === undefined || r.value === null) return '';
      const info = pointInfos.get(r.pointId);
      if (info && info !== 'loading') return formatValue(info, r.value, getLocale());
      if (info === undefined) {
        pointInfos.set(r.pointId, 'loading');
        client.point(r.pointId).then((p) => { pointInfos.set(r.pointId, p); draw(); }, () => pointInfos.set(r.pointId, null));
      }
      return String(r.value);
    };
    let filter: JournalFilter = {};
    /** cursors[i] leads to page i (page 0 has none). */
    let cursors: Array<PageCursor | undefined> = [undefined];
    let page = 0;
    let rows: JournalRow[] = [];
    let hasMore = false;
    let loading = 0;
    let loaded = false;
    let destroyed = false;
    const messages = new Map<string, LocalizedText>();

    const tabs = alarmTabs('journal');
    const title = h('h2', { class: 'alarms-title' });
    const field = (labelKey: Parameters<typeof at>[0], control: HTMLElement) => {
      const label = h('span', { 'data-key': labelKey });
      return { el: h('label', { class: 'journal-field' }, label, control), label, key: labelKey };
    };
    const fromInput = h('input', { type: 'datetime-local', class: 'j-from' });
    const toInput = h('input', { type: 'datetime-local', class: 'j-to' });
    const prioritySelect = h('select', { class: 'j-priority' });
    const areaSelect = h('select', { class: 'j-area' });
    const stateSelect = h('select', { class: 'j-state' });
    const kindSelect = h('select', { class: 'j-kind' });
    const pointInput = h('input', { type: 'text', class: 'j-point', spellcheck: 'false', placeholder: 'hq/a/b1/…' });
    const fields = [
      field('j.from', fromInput), field('j.to', toInput), field('col.priority', prioritySelect), field('col.area', areaSelect),
      field('j.state', stateSelect), field('j.kind', kindSelect), field('j.point', pointInput),
    ];
    const apply = h('button', { type: 'submit', class: 'btn primary j-apply' });
    const reset = h('button', { type: 'button', class: 'btn ghost j-reset' });
    const csv = h('a', { class: 'btn j-csv', download: 'alarm-journal.csv' });
    const form = h('form', { class: 'journal-filters' }, ...fields.map((f) => f.el), h('div', { class: 'journal-buttons' }, apply, reset, csv));
    const status = h('div', { class: 'alarms-status', 'aria-live': 'polite' });
    const head = h('tr');
    const body = h('tbody');
    const empty = h('p', { class: 'alarms-empty', hidden: true });
    const newer = h('button', { type: 'button', class: 'btn j-newer' });
    const older = h('button', { type: 'button', class: 'btn j-older' });
    const pageLabel = h('span', { class: 'j-page' });
    container.replaceChildren(
      paintPriorities(h('section', { class: 'journal-view alarm-page' },
        tabs.element, h('header', { class: 'alarms-head' }, title), form, status,
        h('table', { class: 'alarms journal' }, h('thead', {}, head), body), empty,
        h('div', { class: 'journal-pager' }, newer, pageLabel, older))),
    );

    const readFilter = (): JournalFilter | string => {
      const from = parseLocalDateTime(fromInput.value);
      const to = parseLocalDateTime(toInput.value);
      if (Number.isNaN(from)) return at('j.badTime', { field: at('j.from') });
      if (Number.isNaN(to)) return at('j.badTime', { field: at('j.to') });
      if (from !== undefined && to !== undefined && from >= to) return at('j.badRange');
      return {
        from, to,
        priority: (prioritySelect.value || undefined) as AlarmPriority | undefined,
        area: areaSelect.value || undefined,
        state: (stateSelect.value || undefined) as AlarmStateName | undefined,
        kind: (kindSelect.value || undefined) as JournalKind | undefined,
        point: pointInput.value.trim() || undefined,
      };
    };

    const load = async () => {
      const mine = ++loading;
      setText(status, at('j.loading'));
      try {
        const cursor = cursors[page];
        const answer = await client.journal(pageParams(filter, cursor));
        if (destroyed || mine !== loading) return;
        const taken = takePage(answer, cursor);
        rows = taken.rows;
        hasMore = taken.hasMore;
        cursors[page + 1] = taken.next;
        loaded = true;
        setText(status, '');
        draw();
      } catch (err) {
        if (!destroyed && mine === loading) setText(status, at('failed', { message: (err as Error).message }));
      }
    };

    const draw = () => {
      const locale = getLocale();
      body.replaceChildren(...rows.map((r) => {
        const where = areaLabel(ctx.site, r.area, locale);
        const message = messages.get(r.alarmId);
        // Entries of a test alarm carry the engine's `[test: tag]` comment prefix: a badge instead.
        const { test, comment } = splitTestTag(r.comment);
        return h('tr', { class: `journal-row p-${r.priority} k-${r.kind}${test ? ' is-test' : ''}`, 'data-seq': r.seq, 'data-alarm-id': r.alarmId },
          h('td', { class: 'j-ts' }, formatDateTime(r.ts)),
          h('td', { class: 'alarm-priority' }, h('span', { class: 'prio-badge' }, priorityBadgeText(r.priority))),
          // At the desk each row is one line (alarms.css): the second lines (floor, alarm id) and
          // whatever a narrow column cuts off stay readable in the cell's title.
          h('td', { class: 'alarm-area', title: where.where ? `${where.name} · ${where.where}` : where.name }, where.name, where.where ? h('span', { class: 'alarm-where' }, where.where) : null),
          h('td', { class: 'alarm-message', title: message ? `${localized(message, locale)} (${r.alarmId})` : r.alarmId }, testBadge(test), message ? localized(message, locale) : r.alarmId, message ? h('span', { class: 'alarm-where' }, r.alarmId) : null),
          h('td', { class: 'j-kind', title: at(`kind.${r.kind}`) }, at(`kind.${r.kind}`)),
          h('td', { class: 'j-state', title: at(`state.${r.state}`) }, at(`state.${r.state}`)),
          h('td', { class: 'j-user', title: r.user }, r.user === 'system' ? at('j.system') : r.user),
          h('td', { class: 'j-comment', title: comment }, comment),
          h('td', { class: 'alarm-value', title: valueText(r) }, valueText(r)));
      }));
      empty.hidden = rows.length > 0 || !loaded;
      newer.disabled = page === 0;
      older.disabled = !hasMore;
      setText(pageLabel, at('j.pageN', { n: page + 1 }));
      csv.href = csvHref(filter);
    };

    const search = () => {
      const f = readFilter();
      if (typeof f === 'string') return void setText(status, f);
      filter = f;
      cursors = [undefined];
      page = 0;
      void load();
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      search();
    });
    reset.addEventListener('click', () => {
      form.reset();
      search();
    });
    newer.addEventListener('click', () => { if (page > 0) { page--; void load(); } });
    older.addEventListener('click', () => { if (hasMore) { page++; void load(); } });

    const options = (select: HTMLSelectElement, values: readonly string[], label: (v: string) => string) => {
      const keep = select.value;
      select.replaceChildren(h('option', { value: '' }, at('filter.all')), ...values.map((v) => h('option', { value: v }, label(v))));
      select.value = keep;
    };
    const relabel = () => {
      tabs.relabel();
      setText(title, at('j.title'));
      for (const f of fields) setText(f.label, at(f.key));
      setText(apply, at('j.apply'));
      setText(reset, at('j.reset'));
      setText(csv, at('j.csv'));
      setText(newer, at('j.newer'));
      setText(older, at('j.older'));
      setText(empty, at('j.empty'));
      head.replaceChildren(...COLUMNS.map((k) => h('th', { scope: 'col' }, at(k))));
      options(prioritySelect, ALARM_PRIORITIES, (p) => at(`priority.${p as AlarmPriority}`));
      options(stateSelect, ALARM_STATES, (s) => at(`state.${s as AlarmStateName}`));
      options(kindSelect, JOURNAL_KINDS, (k) => at(`kind.${k as JournalKind}`));
      const areas: Array<[string, string]> = [];
      for (const b of ctx.site.buildings) {
        areas.push([b.id, localized(b.name)]);
        for (const f of b.floors) {
          areas.push([`${b.id}/${f.id}`, `${localized(b.name)} · ${localized(f.name)}`]);
          for (const r of f.rooms) areas.push([`${b.id}/${f.id}/${r.id}`, `\u2003${localized(f.name)} · ${localized(r.name)}`]);
        }
      }
      const keep = areaSelect.value;
      areaSelect.replaceChildren(h('option', { value: '' }, at('filter.everywhere')), ...areas.map(([v, l]) => h('option', { value: v }, l)));
      areaSelect.value = keep;
      draw();
    };
    relabel();
    // Alarm messages for the table (the journal carries ids only); the table works without them.
    client.all().then((all) => {
      for (const a of all) messages.set(a.id, a.message);
      if (!destroyed) draw();
    }, () => undefined);
    void load();

    return {
      relabel,
      unmount() {
        destroyed = true;
      },
    };
  },
};
