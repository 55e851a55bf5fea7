// The alarm list's two input surfaces, instead of window.prompt: a small inline popover for an
// acknowledgement (optional comment; Enter confirms, Escape closes) and a modal <dialog> for
// shelving and out-of-service (a required reason, for shelving a duration within the maximum).
import { h, setText } from '../../dom.js';
import { formatDuration } from './alarm-format.js';
import { at } from './alarm-text.js';
import { getLocale } from '../../i18n.js';

export interface AckPopoverOptions {
  title: string;
  confirmLabel: string;
  run(comment: string | undefined): Promise<unknown>;
}

export class AckPopover {
  readonly element: HTMLDivElement;
  private readonly title = h('div', { class: 'ack-pop-title' });
  private readonly input = h('input', { type: 'text', class: 'ack-pop-comment', maxlength: 2000, autocomplete: 'off' });
  private readonly confirm = h('button', { type: 'submit', class: 'btn primary ack-pop-confirm' });
  private readonly cancel = h('button', { type: 'button', class: 'btn ghost ack-pop-cancel' });
  private readonly error = h('div', { class: 'ack-pop-error', role: 'alert' });
  private anchor: HTMLElement | null = null;
  private options: AckPopoverOptions | null = null;
  private readonly onDocPointer = (e: Event) => {
    const target = e.target as Node;
    if (this.anchor && !this.element.contains(target) && !this.anchor.contains(target)) this.close();
  };

  constructor() {
    const form = h('form', { class: 'ack-pop-form' }, this.title, this.input, h('div', { class: 'ack-pop-buttons' }, this.cancel, this.confirm), this.error);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.element = h('div', { class: 'ack-pop', role: 'dialog', hidden: true }, form);
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    this.cancel.addEventListener('click', () => this.close());
  }

  get anchoredTo(): HTMLElement | null {
    return this.anchor;
  }

  /** Opens under `anchor` (its parent cell is the positioning box); a second click on the same anchor closes. */
  open(anchor: HTMLElement, options: AckPopoverOptions): void {
    if (this.anchor === anchor) return this.close();
    this.close();
    this.anchor = anchor;
    this.options = options;
    setText(this.title, options.title);
    setText(this.confirm, options.confirmLabel);
    setText(this.cancel, at('cancel'));
    this.input.placeholder = at('prompt.comment');
    this.input.value = '';
    setText(this.error, '');
    this.confirm.disabled = false;
    (anchor.parentElement ?? anchor).append(this.element);
    this.element.hidden = false;
    anchor.setAttribute('aria-expanded', 'true');
    this.input.focus();
    document.addEventListener('pointerdown', this.onDocPointer, true);
  }

  close(): void {
    document.removeEventListener('pointerdown', this.onDocPointer, true);
    this.anchor?.setAttribute('aria-expanded', 'false');
    this.anchor = null;
    this.options = null;
    this.element.hidden = true;
    this.element.remove();
  }

  private async submit(): Promise<void> {
    const options = this.options;
    if (!options) return;
    this.confirm.disabled = true;
    try {
      await options.run(this.input.value.trim() || undefined);
      if (this.options === options) this.close();
    } catch (err) {
      setText(this.error, at('failed', { message: (err as Error).message }));
      this.confirm.disabled = false;
    }
  }
}

export interface ReasonDialogOptions {
  title: string;
  /** What it is about: the alarm message and where. */
  subject: string;
  confirmLabel: string;
  /** Shelving: the durations to offer (minutes); out-of-service: none. */
  durations?: number[];
  run(reason: string, durationMin: number | undefined): Promise<unknown>;
  /** A refusal may narrow the choices (the hub names the shelve maximum): new durations, if any. */
  narrow?(err: Error): number[] | undefined;
}

/** One modal dialog reused for shelve and out-of-service. */
export class ReasonDialog {
  readonly element: HTMLDialogElement;
  private readonly heading = h('h3', { class: 'alarm-dialog-title' });
  private readonly subject = h('p', { class: 'alarm-dialog-subject' });
  private readonly durationLegend = h('legend');
  private readonly durations = h('div', { class: 'alarm-dialog-durations' });
  private readonly durationSet = h('fieldset', { class: 'alarm-dialog-duration' }, this.durationLegend, this.durations);
  private readonly reasonLabel = h('span');
  private readonly reason = h('textarea', { class: 'alarm-dialog-reason', rows: 3, maxlength: 2000 });
  private readonly error = h('p', { class: 'alarm-dialog-error', role: 'alert' });
  private readonly cancel = h('button', { type: 'button', class: 'btn ghost alarm-dialog-cancel' });
  private readonly confirm = h('button', { type: 'submit', class: 'btn primary alarm-dialog-confirm' });
  private options: ReasonDialogOptions | null = null;

  constructor() {
    const form = h('form', { class: 'alarm-dialog-form', novalidate: true },
      this.heading, this.subject, this.durationSet,
      h('label', { class: 'alarm-dialog-reason-label' }, this.reasonLabel, this.reason),
      this.error,
      h('div', { class: 'alarm-dialog-buttons' }, this.cancel, this.confirm));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.cancel.addEventListener('click', () => this.close());
    this.reason.addEventListener('input', () => setText(this.error, ''));
    this.element = h('dialog', { class: 'alarm-dialog' }, form);
    this.element.addEventListener('close', () => (this.options = null));
  }

  open(options: ReasonDialogOptions): void {
    this.options = options;
    setText(this.heading, options.title);
    setText(this.subject, options.subject);
    setText(this.reasonLabel, at('dialog.reason'));
    setText(this.cancel, at('cancel'));
    setText(this.confirm, options.confirmLabel);
    setText(this.error, '');
    this.reason.value = '';
    this.confirm.disabled = false;
    this.durationSet.hidden = !options.durations;
    if (options.durations) this.showDurations(options.durations);
    if (!this.element.open) this.element.showModal();
    (options.durations ? this.durations.querySelector('input:checked') as HTMLInputElement | null : this.reason)?.focus();
  }

  close(): void {
    if (this.element.open) this.element.close();
    this.options = null;
  }

  private showDurations(choices: number[], keep?: number): void {
    setText(this.durationLegend, at('dialog.duration'));
    // Default: an hour if offered (a common maintenance job), else the shortest.
    const preferred = keep !== undefined && choices.includes(keep) ? keep : choices.includes(60) ? 60 : choices[0];
    this.durations.replaceChildren(...choices.map((m) =>
      h('label', { class: 'duration-choice' },
        h('input', { type: 'radio', name: 'shelve-duration', value: m, checked: m === preferred }),
        h('span', {}, formatDuration(m, getLocale())))));
  }

  private selectedDuration(): number | undefined {
    const checked = this.durations.querySelector<HTMLInputElement>('input:checked');
    return checked ? Number(checked.value) : undefined;
  }

  private async submit(): Promise<void> {
    const options = this.options;
    if (!options) return;
    const reason = this.reason.value.trim();
    const duration = options.durations ? this.selectedDuration() : undefined;
    if (options.durations && duration === undefined) return void setText(this.error, at('dialog.needDuration'));
    if (!reason) {
      setText(this.error, at('dialog.needReason'));
      this.reason.focus();
      return;
    }
    this.confirm.disabled = true;
    try {
      await options.run(reason, duration);
      if (this.options === options) this.close();
    } catch (err) {
      const narrowed = options.narrow?.(err as Error);
      if (narrowed && options.durations) {
        options.durations = narrowed;
        this.showDurations(narrowed, duration);
      }
      setText(this.error, at('failed', { message: (err as Error).message }));
      this.confirm.disabled = false;
    }
  }
}
