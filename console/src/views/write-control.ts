// Write control of one writable point: a toggle for binary, number + Set for analog,
// a state picker for multistate. Shows the hub's answer: confirmed, not confirmed, or the error.
import type { PointInfo, PointState, PointValue } from '../../../contracts/point.js';
import { isSecurityCommandPoint } from '../../../contracts/scopes.js';
import { ApiRequestError, type ApiClient } from '../api.js';
import { h, setClass, setText } from '../dom.js';
import { binaryWording, formatValue } from '../format.js';
import { formatNumber, getLocale, localized, t } from '../i18n.js';

export interface WriteControl {
  element: HTMLElement;
  /** The point's state or the language changed. */
  refresh(): void;
}

/** Parses a typed number and checks the point's limits; returns the value or the reason. */
export function checkAnalogInput(raw: string, limits: PointInfo['limits']): { value: number } | { error: string } {
  const text = raw.trim().replace(',', '.');
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return { error: t('write.notANumber') };
  const min = limits?.min ?? -Infinity;
  const max = limits?.max ?? Infinity;
  if (value < min || value > max) {
    return { error: t('write.outOfRange', { min: limits?.min ?? '−∞', max: limits?.max ?? '∞' }) };
  }
  return { value };
}

/**
 * The option a multistate picker should show: the live value, unless the user is choosing (the
 * picker has focus or was changed and not yet sent). '' = the "unknown" placeholder (no live value,
 * or one that is not a state of the point). Pure.
 */
export function stateToShow(states: Record<string, unknown>, shown: PointValue | undefined, edit: { editing: boolean; chosen: string }): string {
  if (edit.editing) return edit.chosen;
  const live = shown === undefined || shown === null ? '' : String(shown);
  return live in states ? live : '';
}

/** What the control needs to know about the point's present state. */
export interface ControlState {
  state: PointState | null;
  /** The value shown in the row (the last known one during an outage). */
  shown: PointValue | undefined;
}

/**
 * Why a control is locked, or null. A device that does not answer cannot take a command, and a
 * toggle cannot know which way to go without a current value.
 */
export function lockReason(kind: PointInfo['kind'], current: ControlState): 'comm_fail' | 'unknown' | null {
  if (current.state?.quality === 'comm_fail') return 'comm_fail';
  if (kind === 'binary' && (current.state === null || current.state.value === null)) return 'unknown';
  return null;
}

/**
 * A door release or lock override needs the operator's confirmation and reason (the hub refuses it
 * otherwise and keeps the reason in the audit log). undefined: not a security command; null: cancelled.
 */
export function askSecurityReason(point: Pick<PointInfo, 'id' | 'device' | 'brick' | 'name'>): { confirm: true; reason: string } | null | undefined {
  if (!isSecurityCommandPoint(point)) return undefined;
  const reason = window.prompt(t('write.securityReason', { point: localized(point.name) }))?.trim();
  return reason ? { confirm: true, reason } : null;
}

export function createWriteControl(point: PointInfo, current: () => ControlState, api: ApiClient): WriteControl {
  const result = h('span', { class: 'write-result', role: 'status' });
  // The result text is kept as a function so a language switch re-renders it.
  let resultText: () => string = () => '';
  let busy = false;

  const show = (kind: '' | 'ok' | 'warn' | 'err' | 'busy', text: () => string) => {
    resultText = text;
    setClass(result, `write-result ${kind}`.trim());
    setText(result, text());
  };

  const send = async (value: PointValue) => {
    if (busy) return;
    // A door release or lock override: the hub wants a confirmation and a reason, kept in the audit log.
    const confirmation = askSecurityReason(point);
    if (confirmation === null) return;
    busy = true;
    setDisabled(true);
    show('busy', () => t('write.pending'));
    try {
      const res = await api.write(point.id, value, confirmation);
      if (res.confirmed) show('ok', () => t('write.confirmed'));
      else show('warn', () => t('write.notConfirmed', { value: formatValue(point, res.readBack, getLocale()) + (res.detail ? ` — ${res.detail}` : '') }));
    } catch (err) {
      const message = err instanceof ApiRequestError ? err.message : String(err);
      show('err', () => t('write.error', { message }));
    } finally {
      busy = false;
      setDisabled(false);
    }
  };

  const inputs: Array<HTMLButtonElement | HTMLInputElement | HTMLSelectElement> = [];
  // Disabled while a command is in flight or while the point cannot take one.
  const setDisabled = (pending: boolean) => {
    const locked = lockReason(point.kind, current());
    for (const el of inputs) {
      el.disabled = pending || locked !== null;
      el.title = locked === 'comm_fail' ? t('write.lockedCommFail') : locked === 'unknown' ? t('write.lockedUnknown') : '';
    }
  };
  let refreshLabels = () => {};

  const element = h('div', { class: 'write-control' });

  if (point.kind === 'binary') {
    const button = h('button', { type: 'button', class: 'btn toggle', 'data-action': 'toggle' });
    const isOn = () => {
      const v = current().shown;
      return v === true || v === 1;
    };
    button.addEventListener('click', () => void send(!isOn()));
    refreshLabels = () => {
      const wording = binaryWording(point);
      setText(button, t('write.setTo', { state: t(isOn() ? wording.off : wording.on) }));
    };
    inputs.push(button);
    element.append(button);
  } else if (point.kind === 'analog') {
    const input = h('input', {
      type: 'number',
      class: 'num',
      step: 'any',
      min: point.limits?.min,
      max: point.limits?.max,
      'aria-label': localized(point.name),
    });
    const button = h('button', { type: 'submit', class: 'btn', 'data-action': 'set' });
    const range = h('span', { class: 'range' });
    // novalidate: the browser's own range pop-up speaks the browser's language, not the console's;
    // checkAnalogInput says the same in the console's language, with the allowed range.
    const form = h('form', { class: 'analog-write', novalidate: true }, input, button, range);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const raw = input.value;
      const checked = checkAnalogInput(raw, point.limits);
      if ('value' in checked) {
        void send(checked.value);
      } else {
        // Re-checked on a language switch so the reason is shown in the new language.
        show('err', () => {
          const again = checkAnalogInput(raw, point.limits);
          return 'error' in again ? again.error : '';
        });
      }
    });
    refreshLabels = () => {
      setText(button, t('write.set'));
      const { min, max } = point.limits ?? {};
      const fmt = (n: number | undefined, fallback: string) => (n === undefined ? fallback : formatNumber(n, Number.isInteger(n) ? 0 : 2));
      const text = min === undefined && max === undefined ? '' : t('write.range', { min: fmt(min, '−∞'), max: fmt(max, '∞') }) + (point.unit ? ` ${point.unit}` : '');
      setText(range, text);
    };
    inputs.push(input, button);
    element.append(form);
  } else if (point.kind === 'multistate' && point.states) {
    const states = point.states;
    const select = h('select', { 'aria-label': localized(point.name) });
    const button = h('button', { type: 'button', class: 'btn', 'data-action': 'set' });
    // Changed by the user and not sent yet: the live value must not overwrite the choice.
    let chosenByUser = false;
    select.addEventListener('change', () => (chosenByUser = true));
    button.addEventListener('click', () => {
      if (select.value === '') return;
      chosenByUser = false;
      void send(Number.isNaN(Number(select.value)) ? select.value : Number(select.value));
    });
    let optionsLocale = '';
    refreshLabels = () => {
      // Options are rebuilt on a language switch only: rebuilding on every value would close an open picker.
      if (optionsLocale !== getLocale()) {
        const chosen = select.value;
        optionsLocale = getLocale();
        select.replaceChildren(
          h('option', { value: '', disabled: true }, '—'),
          ...Object.entries(states).map(([value, label]) => h('option', { value }, localized(label))),
        );
        select.value = chosen;
      }
      const editing = chosenByUser || document.activeElement === select;
      const want = stateToShow(states, current().shown, { editing, chosen: select.value });
      if (select.value !== want) select.value = want;
      setText(button, t('write.set'));
    };
    inputs.push(select, button);
    element.append(select, button);
  }

  element.append(result);
  const refresh = () => {
    refreshLabels();
    setDisabled(busy);
    setText(result, resultText());
  };
  refresh();
  return { element, refresh };
}
