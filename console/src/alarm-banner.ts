// The compact alarm banner in the top bar of every page: counts to acknowledge by priority (shape,
// colour and number), the newest critical/high message, a click opens /alarms, and a sound on a
// new critical/high alarm that this console can mute (remembered in localStorage).
import { ALARM_PRIORITIES, type AlarmSummary, type AlarmView } from '../../contracts/alarms.js';
import { h, setText } from './dom.js';
import { localized, t, type MessageKey } from './i18n.js';
import { hrefOf } from './router.js';
import { PRIORITY_COLOURS, PRIORITY_SHAPES } from './scene/palette.js';
import type { LiveLink } from './live.js';
import { testBadgeText, testBadgeTitle } from './views/alarms/test-badge.js';

export const SOUND_KEY = 'watchfloor.alarmSound';
const LOUD: ReadonlySet<string> = new Set(['critical', 'high']);
const NEEDS_ACK: ReadonlySet<string> = new Set(['unacknowledged', 'rtn_unacknowledged', 'latched']);

/** The newest critical/high alarm that still needs acknowledging, or null. */
export function newestLoud(alarms: Iterable<AlarmView>): AlarmView | null {
  let best: AlarmView | null = null;
  for (const a of alarms) {
    if (!LOUD.has(a.priority) || !NEEDS_ACK.has(a.state)) continue;
    if (!best || ALARM_PRIORITIES.indexOf(a.priority) < ALARM_PRIORITIES.indexOf(best.priority) ||
      (a.priority === best.priority && a.lastChange > best.lastChange)) best = a;
  }
  return best;
}

export type BannerMessage =
  | { kind: 'down' }
  | { kind: 'alarm'; alarm: AlarmView; waiting: number }
  | { kind: 'waiting'; waiting: number }
  | { kind: 'flood' }
  | { kind: 'none' };

/**
 * What the banner says. Every priority waiting counts: "nothing to acknowledge" only when nothing of
 * any priority waits (a guard must never be told there is nothing to do while a low alarm waits).
 */
export function bannerMessage(up: boolean, summary: AlarmSummary | null, alarms: Iterable<AlarmView>): BannerMessage {
  if (!up) return { kind: 'down' };
  const waiting = summary ? ALARM_PRIORITIES.reduce((n, p) => n + (summary.unacked[p] ?? 0), 0) : 0;
  const loud = newestLoud(alarms);
  if (loud) return { kind: 'alarm', alarm: loud, waiting };
  if (waiting > 0) return { kind: 'waiting', waiting };
  if (summary?.flood) return { kind: 'flood' };
  return { kind: 'none' };
}

/** Should this change ring? A critical/high alarm newly needing acknowledgement (not on a snapshot). */
export function shouldRing(before: AlarmView | undefined, after: AlarmView): boolean {
  if (!LOUD.has(after.priority) || after.state !== 'unacknowledged') return false;
  return !before || before.state !== 'unacknowledged' || after.lastChange > before.lastChange;
}

function readMuted(): boolean {
  try {
    return globalThis.localStorage?.getItem(SOUND_KEY) === 'muted';
  } catch {
    return false;
  }
}

/** Two short tones: distinct from a browser notification, not a siren. */
function ring(): void {
  try {
    const audio = new AudioContext();
    const gain = audio.createGain();
    gain.gain.value = 0.15;
    gain.connect(audio.destination);
    [0, 0.25].forEach((at, i) => {
      const osc = audio.createOscillator();
      osc.frequency.value = i ? 660 : 880;
      osc.connect(gain);
      osc.start(audio.currentTime + at);
      osc.stop(audio.currentTime + at + 0.18);
    });
    setTimeout(() => void audio.close(), 1000);
  } catch {
    // no audio device or autoplay refused: the banner still shows it
  }
}

export interface AlarmBanner {
  element: HTMLElement;
  /** Start watching the alarm list over the console's live link. */
  attach(live: LiveLink): void;
  /** The live link went down: the counts are no longer known to be current. */
  setLinkUp(up: boolean): void;
  relabel(): void;
  destroy(): void;
}

export function createAlarmBanner(): AlarmBanner {
  const counts = ALARM_PRIORITIES.map((p) => ({
    p,
    el: h('span', { class: `banner-count prio-${p} zero`, 'data-priority': p, style: `--prio: ${PRIORITY_COLOURS[p]}` }, h('span', { class: 'shape' }, PRIORITY_SHAPES[p]), h('span', { class: 'n' }, '0')),
  }));
  const message = h('span', { class: 'banner-message' });
  // A drill's alarm is marked as in the list: the guard must not read it as a real event.
  const testMark = h('span', { class: 'test-badge', hidden: true });
  const link = h('a', { class: 'alarm-banner-link', href: hrefOf('alarms') }, ...counts.map((c) => c.el), testMark, message);
  const sound = h('button', { type: 'button', class: 'btn ghost banner-sound', 'data-action': 'alarm-sound' });
  const element = h('div', { class: 'alarm-banner', 'data-state': 'down' }, link, sound);
  const alarms = new Map<string, AlarmView>();
  let summary: AlarmSummary | null = null;
  let up = false;
  let muted = readMuted();

  const draw = () => {
    element.dataset.state = up ? 'up' : 'down';
    for (const c of counts) {
      const n = summary?.unacked[c.p] ?? 0;
      setText(c.el.lastChild as HTMLElement, String(n));
      c.el.classList.toggle('zero', n === 0);
      c.el.title = t(`prio.${c.p}` as MessageKey);
    }
    const said = bannerMessage(up, summary, alarms.values());
    const loud = said.kind === 'alarm' ? said.alarm : null;
    element.classList.toggle('has-loud', !!loud);
    element.dataset.waiting = String(said.kind === 'alarm' || said.kind === 'waiting' ? said.waiting : 0);
    if (loud) message.style.setProperty('--prio', PRIORITY_COLOURS[loud.priority]); else message.style.removeProperty('--prio');
    testMark.hidden = !loud?.test;
    if (loud?.test) {
      setText(testMark, testBadgeText());
      testMark.title = testBadgeTitle(loud.test);
    }
    setText(message,
      said.kind === 'down' ? t('banner.down')
        : said.kind === 'alarm' ? `${PRIORITY_SHAPES[said.alarm.priority]} ${localized(said.alarm.message)}`
          : said.kind === 'waiting' ? t('banner.waiting', { n: said.waiting })
            : said.kind === 'flood' ? t('banner.flood') : t('banner.none'));
    link.title = t('banner.open');
    // The word in its own span: the phone shows only the note (its title still says it).
    const word = muted ? t('banner.soundOff') : t('banner.soundOn');
    if (sound.textContent !== `♪ ${word}`) sound.replaceChildren('♪', h('span', { class: 'sound-label' }, ` ${word}`));
    sound.title = muted ? t('banner.unmute') : t('banner.mute');
    sound.setAttribute('aria-pressed', String(muted));
  };
  sound.addEventListener('click', () => {
    muted = !muted;
    try {
      globalThis.localStorage?.setItem(SOUND_KEY, muted ? 'muted' : 'on');
    } catch {
      // not remembered; still muted for now
    }
    draw();
  });

  let stop: (() => void) | null = null;
  const attach = (live: LiveLink) => {
    stop?.();
    stop = live.watchAlarms({
    onSnapshot(list, s) {
      alarms.clear();
      for (const a of list) if (a.state !== 'normal') alarms.set(a.id, a);
      summary = s;
      up = true;
      draw();
    },
    onUpdate(update) {
      let loud = false;
      for (const a of update.changed) {
        if (shouldRing(alarms.get(a.id), a)) loud = true;
        if (a.state === 'normal') alarms.delete(a.id); else alarms.set(a.id, a);
      }
      summary = update.summary;
      draw();
      if (loud && !muted) ring();
    },
    onError() {
      up = false;
      draw();
    },
  });
  };
  draw();
  return {
    element,
    attach,
    setLinkUp(isUp) {
      // Up again only with the next snapshot; down at once.
      if (!isUp && up) {
        up = false;
        draw();
      }
    },
    relabel: draw,
    destroy: () => stop?.(),
  };
}
