// The notes of one alarm: every journal entry that carries words (comments, acknowledgement
// comments, shelve and out-of-service reasons), oldest first, and a field to add one.
import type { JournalRow } from '../../../../contracts/alarms.js';
import { h, setText } from '../../dom.js';
import { formatDateTime } from '../../i18n.js';
import type { AlarmClient } from './alarm-client.js';
import { at } from './alarm-text.js';
import { splitTestTag } from './test-badge.js';

/**
 * Journal rows worth showing in the thread, oldest first (the hub answers newest first). A test
 * alarm's entries carry the engine's `[test: tag]` prefix: that is not a note (the detail shows
 * the TEST badge instead), so it is taken off and an entry with nothing else is left out.
 */
export function threadEntries(rows: readonly JournalRow[]): JournalRow[] {
  return rows.map((r) => ({ ...r, comment: splitTestTag(r.comment).comment }))
    .filter((r) => r.comment !== '').sort((a, b) => a.seq - b.seq);
}

export class CommentThread {
  readonly element: HTMLDivElement;
  private readonly list = h('ol', { class: 'thread-list' });
  private readonly status = h('p', { class: 'thread-status' });
  private readonly input = h('input', { type: 'text', class: 'thread-input', maxlength: 2000, autocomplete: 'off' });
  private readonly add = h('button', { type: 'submit', class: 'btn thread-add' });
  private rows: JournalRow[] = [];
  private loaded = false;
  private destroyed = false;

  constructor(private readonly alarmId: string, private readonly client: AlarmClient, canComment: boolean) {
    const form = h('form', { class: 'thread-form', hidden: !canComment }, this.input, this.add);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.element = h('div', { class: 'thread', 'data-thread-for': alarmId }, this.list, this.status, form);
    this.relabel();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const rows = await this.client.journal(new URLSearchParams({ alarm: this.alarmId, limit: '500' }));
      if (this.destroyed) return;
      this.rows = threadEntries(rows);
      this.loaded = true;
      this.draw();
    } catch (err) {
      if (!this.destroyed) setText(this.status, at('failed', { message: (err as Error).message }));
    }
  }

  relabel(): void {
    this.input.placeholder = at('thread.placeholder');
    setText(this.add, at('thread.add'));
    this.draw();
  }

  destroy(): void {
    this.destroyed = true;
  }

  private draw(): void {
    if (!this.loaded) return void setText(this.status, at('thread.loading'));
    setText(this.status, this.rows.length === 0 ? at('thread.empty') : '');
    this.list.replaceChildren(...this.rows.map((r) =>
      h('li', { class: `thread-entry k-${r.kind}` },
        h('span', { class: 'thread-meta' }, `${formatDateTime(r.ts)} · ${r.user} · ${at(`kind.${r.kind}`)}`),
        h('span', { class: 'thread-text' }, r.comment ?? ''))));
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    if (!text) return;
    this.add.disabled = true;
    try {
      await this.client.comment(this.alarmId, text);
      this.input.value = '';
      await this.load();
    } catch (err) {
      setText(this.status, at('failed', { message: (err as Error).message }));
    } finally {
      this.add.disabled = false;
    }
  }
}
