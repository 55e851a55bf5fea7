// PTZ controls of one camera: press-and-hold arrows and zoom (pointer and keyboard), the current
// position, an absolute move, presets (go to; save for supervisors and admins). A refusal shows
// the hub's message, and for `out_of_range` the range the camera accepts.
import { h, setText } from '../dom.js';
import { formatNumber, t, type MessageKey } from '../i18n.js';
import type { CameraApi } from './camera-api.js';
import type { CameraInfo, PtzCommand, PtzPosition } from './camera-types.js';
import { Labels } from './labels.js';
import { directionOfKey, outOfRangeOf, PtzHold, type Direction } from './ptz-hold.js';

export interface PtzControlsOptions {
  api: CameraApi;
  /** Supervisors and admins may save presets. */
  canSetPresets: boolean;
  /** Current position from the camera's PTZ points (polled); undefined when unknown. */
  readPosition?(): Promise<PtzPosition | undefined>;
  pollMs?: number;
}

export interface PtzControls {
  el: HTMLElement;
  relabel(): void;
  /** New camera info (presets changed, state changed). */
  refresh(camera: CameraInfo): void;
  destroy(): void;
  /** For tests and callers: every command answered. */
  idle(): Promise<void>;
}

const PAD: Array<[Direction | null, string]> = [
  [null, ''], ['up', '▲'], [null, ''],
  ['left', '◀'], [null, ''], ['right', '▶'],
  [null, ''], ['down', '▼'], [null, ''],
];

/** `-0.25`, `0.5` … with 2 decimals in the current locale. */
const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : formatNumber(v, 2));

/** The message for a refused command: the range for out_of_range, else the hub's words. */
export function ptzErrorText(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  const range = outOfRangeOf(err);
  if (range) return t('cam.ptz.outOfRange', { axis: range.axis, min: num(range.min), max: num(range.max), message });
  return t('cam.ptz.refused', { message });
}

export function createPtzControls(initial: CameraInfo, o: PtzControlsOptions): PtzControls {
  let camera = initial;
  let position: PtzPosition | undefined;
  const labels = new Labels();
  const message = h('p', { class: 'ptz-message', role: 'status', 'aria-live': 'polite' });
  const say = (text: string, kind: 'ok' | 'error') => {
    setText(message, text);
    message.className = `ptz-message ptz-${kind}`;
  };
  const hold = new PtzHold({
    send: (cmd) => o.api.ptz(camera.id, cmd),
    onResult: (_cmd, result) => {
      if (result.position) showPosition(result.position);
    },
    onError: (_cmd, err) => say(ptzErrorText(err), 'error'),
  });
  const run = (cmd: PtzCommand, done?: () => string) => {
    say('', 'ok');
    void hold.enqueue(cmd).then(() => {
      if (done && !message.textContent) say(done(), 'ok');
    });
  };

  // --- press-and-hold buttons (pointer capture: the release is seen even off the button) ---
  const holdButton = (dir: Direction, glyph: string) => {
    const b = h('button', { type: 'button', class: `btn ptz-btn ptz-${dir}`, 'data-ptz': dir }, glyph);
    labels.bind(b, () => t(`cam.ptz.${dir}` as MessageKey), 'title');
    labels.bind(b, () => t(`cam.ptz.${dir}` as MessageKey), 'aria-label');
    b.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      b.setPointerCapture?.(e.pointerId);
      b.classList.add('held');
      say('', 'ok');
      hold.press(dir);
    });
    const up = () => {
      b.classList.remove('held');
      if (hold.holding === dir) hold.release();
    };
    for (const ev of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) b.addEventListener(ev, up);
    b.addEventListener('contextmenu', (e) => e.preventDefault()); // long-press on touch screens
    return b;
  };
  const pad = h('div', { class: 'ptz-pad' }, ...PAD.map(([dir, glyph]) => (dir ? holdButton(dir, glyph) : h('span'))));
  const zoom = h('div', { class: 'ptz-zoom' }, holdButton('zoomIn', '+'), holdButton('zoomOut', '−'));

  // --- keyboard: arrows and +/- while the controls (or the page, not an input) have focus ---
  const typing = (e: KeyboardEvent) => (e.target as HTMLElement | null)?.closest?.('input, select, textarea') != null;
  const onKeyDown = (e: KeyboardEvent) => {
    const dir = directionOfKey(e.key);
    if (!dir || typing(e) || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (!e.repeat) hold.press(dir);
  };
  const onKeyUp = (e: KeyboardEvent) => {
    const dir = directionOfKey(e.key);
    if (dir && hold.holding === dir) hold.release();
  };
  const onBlur = () => hold.release(); // switching windows mid-press must not leave it moving
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('keyup', onKeyUp);
  window.addEventListener('blur', onBlur);

  // --- position readout and absolute move ---
  const readout = h('output', { class: 'ptz-position', 'data-ptz-position': '' });
  const axisInput = (axis: 'pan' | 'tilt' | 'zoom') => h('input', { type: 'number', step: '0.05', class: `ptz-abs-${axis}`, name: axis });
  const inputs = { pan: axisInput('pan'), tilt: axisInput('tilt'), zoom: axisInput('zoom') };
  const showPosition = (p: PtzPosition) => {
    position = p;
    readout.dataset.pan = String(p.pan);
    readout.dataset.tilt = String(p.tilt);
    readout.dataset.zoom = String(p.zoom);
    drawPosition();
  };
  const drawPosition = () =>
    setText(readout, `${t('cam.ptz.pan')} ${num(position?.pan)} · ${t('cam.ptz.tilt')} ${num(position?.tilt)} · ${t('cam.ptz.zoom')} ${num(position?.zoom)}`);
  const goAbsolute = h('button', { type: 'button', class: 'btn ptz-go-abs' });
  labels.bind(goAbsolute, () => t('cam.ptz.goAbsolute'));
  goAbsolute.addEventListener('click', () => {
    const cmd: PtzCommand = { type: 'absolute' };
    for (const axis of ['pan', 'tilt', 'zoom'] as const) {
      const raw = inputs[axis].value.trim();
      if (raw === '') continue;
      const v = Number(raw);
      if (!Number.isFinite(v)) return say(t('cam.ptz.notANumber'), 'error');
      cmd[axis] = v; // not clamped here: the camera's own range is the truth, the hub says it
    }
    run(cmd);
  });
  const absolute = h('div', { class: 'ptz-absolute' },
    ...(['pan', 'tilt', 'zoom'] as const).map((axis) => h('label', {}, labels.bind(h('span'), () => t(`cam.ptz.${axis}`)), inputs[axis])),
    goAbsolute);

  // --- presets ---
  const presetSelect = h('select', { class: 'ptz-preset' });
  const gotoPreset = h('button', { type: 'button', class: 'btn ptz-goto' });
  labels.bind(gotoPreset, () => t('cam.ptz.goto'));
  gotoPreset.addEventListener('click', () => {
    if (presetSelect.value) run({ type: 'preset', action: 'goto', preset: presetSelect.value });
  });
  const presetName = h('input', { type: 'text', class: 'ptz-preset-name', maxlength: 64 });
  labels.bind(presetName, () => t('cam.ptz.presetName'), 'placeholder');
  const setPreset = h('button', { type: 'button', class: 'btn ptz-set-preset' });
  labels.bind(setPreset, () => t('cam.ptz.setPreset'));
  setPreset.addEventListener('click', () => {
    const name = presetName.value.trim();
    if (!name) return presetName.focus();
    const token = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `preset-${Date.now()}`;
    run({ type: 'preset', action: 'set', preset: token, name }, () => t('cam.ptz.presetSaved', { name }));
    void hold.idle().then(async () => {
      presetName.value = '';
      try {
        drawPresets(await o.api.get(camera.id));
      } catch {
        /* the list refreshes with the next status poll */
      }
    });
  });
  const noPresets = h('span', { class: 'muted' });
  labels.bind(noPresets, () => t('cam.ptz.noPresets'));
  const drawPresets = (c: CameraInfo) => {
    camera = c;
    const presets = c.presets ?? [];
    const current = presetSelect.value;
    presetSelect.replaceChildren(...presets.map((p) => h('option', { value: p.token }, p.name || p.token)));
    if (presets.some((p) => p.token === current)) presetSelect.value = current;
    noPresets.hidden = presets.length > 0;
    presetSelect.hidden = gotoPreset.hidden = presets.length === 0;
  };
  drawPresets(camera);

  const headingPresets = labels.bind(h('h4'), () => t('cam.ptz.presets'));
  const headingPosition = labels.bind(h('h4'), () => t('cam.ptz.position'));
  const hint = labels.bind(h('p', { class: 'ptz-hint muted' }), () => t('cam.ptz.hint'));
  const el = h('section', { class: 'ptz', 'data-camera': camera.id },
    labels.bind(h('h3'), () => t('cam.ptz.heading')),
    h('div', { class: 'ptz-moves' }, pad, zoom),
    hint,
    headingPosition, readout, absolute,
    headingPresets, h('div', { class: 'ptz-presets' }, presetSelect, gotoPreset, noPresets),
    o.canSetPresets ? h('div', { class: 'ptz-presets ptz-presets-set' }, presetName, setPreset) : null,
    message);
  drawPosition();

  // Position: the camera's PTZ points (the driver polls them); PTZ answers update it at once.
  let polling = true;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    if (!o.readPosition) return;
    try {
      const p = await o.readPosition();
      if (p && polling && !hold.holding) showPosition(p);
    } catch {
      /* keep the last readout; the next poll tries again */
    }
    if (polling) pollTimer = setTimeout(() => void poll(), o.pollMs ?? 2000);
  };
  void poll().then(() => {
    if (!position) return;
    for (const axis of ['pan', 'tilt', 'zoom'] as const) if (inputs[axis].value === '') inputs[axis].value = String(Math.round(position[axis] * 100) / 100);
  });

  return {
    el,
    relabel() {
      labels.apply();
      drawPosition();
      setText(message, '');
    },
    refresh: drawPresets,
    idle: () => hold.idle(),
    destroy() {
      polling = false;
      clearTimeout(pollTimer);
      hold.release();
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    },
  };
}
