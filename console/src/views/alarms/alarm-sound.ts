// Alarm sound: a short beep pattern for new critical and high alarms, made with WebAudio (no
// audio files). Mutable per console, remembered in localStorage. Browsers only start audio
// after a user gesture: until then the state is `blocked` and the first click or key enables it.
import type { AlarmPriority } from '../../../../contracts/alarms.js';

export const SOUND_STORAGE_KEY = 'watchfloor.alarmSound';

export type SoundState = 'on' | 'muted' | 'blocked' | 'unsupported';

export interface Beep { freqHz: number; startS: number; durationS: number }

/** Critical: three high beeps; high: two lower ones. Short, so a busy room is not drowned. */
export const BEEP_PATTERNS: Record<'critical' | 'high', Beep[]> = {
  critical: [0, 0.25, 0.5].map((startS) => ({ freqHz: 880, startS, durationS: 0.15 })),
  high: [0, 0.35].map((startS) => ({ freqHz: 660, startS, durationS: 0.2 })),
};

/** The pattern for the most urgent priority among the new alarms (none for medium/low). */
export function patternFor(priorities: readonly AlarmPriority[]): Beep[] | null {
  if (priorities.includes('critical')) return BEEP_PATTERNS.critical;
  if (priorities.includes('high')) return BEEP_PATTERNS.high;
  return null;
}

/**
 * Muted only when the console said so; a missing or unreadable setting means sound on. Shared
 * with the top-bar banner (console/src/alarm-banner.ts), which writes 'muted' / 'on'.
 */
export function readMuted(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  try {
    const v = storage?.getItem(SOUND_STORAGE_KEY);
    return v === 'muted' || v === 'off';
  } catch {
    return false;
  }
}

export function writeMuted(storage: Pick<Storage, 'setItem'> | undefined, muted: boolean): void {
  try {
    storage?.setItem(SOUND_STORAGE_KEY, muted ? 'muted' : 'on');
  } catch {
    // storage disabled: muted for this page only
  }
}

type AudioContextCtor = new () => AudioContext;

export class AlarmSound {
  private ctx: AudioContext | null = null;
  private muted: boolean;
  private readonly listeners = new Set<(s: SoundState) => void>();
  private readonly Ctor: AudioContextCtor | undefined;
  private readonly unlock = () => void this.resume();

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    this.muted = readMuted(storage);
    this.Ctor = (globalThis as { AudioContext?: AudioContextCtor }).AudioContext;
    // Any gesture anywhere on the page may unlock audio; capture so no view can swallow it.
    globalThis.document?.addEventListener('pointerdown', this.unlock, true);
    globalThis.document?.addEventListener('keydown', this.unlock, true);
  }

  get state(): SoundState {
    if (!this.Ctor) return 'unsupported';
    if (this.muted) return 'muted';
    if (this.ctx) return this.ctx.state === 'running' ? 'on' : 'blocked';
    // No context yet: a page that already had a gesture (the sign-in click) may start audio.
    return (globalThis.navigator as { userActivation?: { hasBeenActive: boolean } } | undefined)?.userActivation?.hasBeenActive ? 'on' : 'blocked';
  }

  onChange(listener: (s: SoundState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    writeMuted(this.storage, muted);
    if (!muted) void this.resume();
    this.emit();
  }

  /** Beeps for the most urgent of the new alarms; silently nothing while muted or blocked. */
  play(priorities: readonly AlarmPriority[]): void {
    const pattern = patternFor(priorities);
    if (!pattern || this.muted || !this.Ctor) return;
    const ctx = this.context();
    if (ctx.state !== 'running') {
      void this.resume(); // may succeed when the page already had a gesture
      return;
    }
    const t0 = ctx.currentTime + 0.02;
    for (const beep of pattern) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = beep.freqHz;
      // Short ramps avoid clicks at start and end.
      gain.gain.setValueAtTime(0, t0 + beep.startS);
      gain.gain.linearRampToValueAtTime(0.15, t0 + beep.startS + 0.01);
      gain.gain.setValueAtTime(0.15, t0 + beep.startS + beep.durationS - 0.01);
      gain.gain.linearRampToValueAtTime(0, t0 + beep.startS + beep.durationS);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + beep.startS);
      osc.stop(t0 + beep.startS + beep.durationS);
    }
  }

  destroy(): void {
    globalThis.document?.removeEventListener('pointerdown', this.unlock, true);
    globalThis.document?.removeEventListener('keydown', this.unlock, true);
    this.listeners.clear();
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new this.Ctor!();
      this.ctx.onstatechange = () => this.emit();
    }
    return this.ctx;
  }

  private async resume(): Promise<void> {
    if (this.muted || !this.Ctor) return;
    const ctx = this.context();
    if (ctx.state === 'running') return;
    try {
      await ctx.resume();
    } catch {
      // still blocked: the next gesture tries again
    }
    this.emit();
  }

  private emit(): void {
    const s = this.state;
    for (const l of this.listeners) l(s);
  }
}
