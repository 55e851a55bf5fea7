// A low-latency live player: fragmented MP4 over a WebSocket into MediaSource. Self-contained (no
// imports) so it can be loaded alone by tests and the latency benchmark.
//
// Protocol (hub/video/gateway.ts): binary messages are the init segment (ftyp+moov) then media
// fragments (moof+mdat) starting at a keyframe; text messages are JSON status such as
// {"status":"reconnecting"}. After a camera comes back a new init segment arrives: the player
// starts a fresh MediaSource, since the new ffmpeg restarts its timestamps.

export type PlayerState = 'connecting' | 'playing' | 'reconnecting' | 'failed' | 'stopped';

export interface PlayerOptions {
  /** Behind the live edge by more than this (s): jump to it. */
  maxLagS?: number;
  /** Behind by more than this (s): play slightly faster to catch up. */
  catchUpLagS?: number;
  /** Keep this much played video in the buffer (s). */
  keepBehindS?: number;
  /** Playing but no video for this long (ms): the connection is hung, open a new one. */
  stallMs?: number;
  onState?(state: PlayerState, detail?: string): void;
}

/** `avc1.PPCCLL` from the avcC box of an init segment (undefined if it is not H.264). */
export function codecOfInit(init: Uint8Array): string | undefined {
  for (let i = 4; i + 8 < init.length; i++) {
    if (init[i] === 0x61 && init[i + 1] === 0x76 && init[i + 2] === 0x63 && init[i + 3] === 0x43) {
      // 'avcC' then configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication
      const hex = (n: number) => n.toString(16).padStart(2, '0');
      return `avc1.${hex(init[i + 5])}${hex(init[i + 6])}${hex(init[i + 7])}`;
    }
  }
  return undefined;
}

export class LowLatencyPlayer {
  private ws?: WebSocket;
  private ms?: MediaSource;
  private sb?: SourceBuffer;
  private queue: ArrayBuffer[] = [];
  private stopped = false;
  private retryMs = 500;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private sought = false;
  private objectUrl?: string;
  private lastDataAt = 0;
  private watchdog?: ReturnType<typeof setInterval>;
  /** The hub refused this viewer (viewer limit, transcoding budget): try again only after a while. */
  private refused = false;
  state: PlayerState = 'connecting';

  constructor(
    readonly video: HTMLVideoElement,
    readonly url: string,
    private readonly opts: PlayerOptions = {},
  ) {
    video.muted = true;
    video.playsInline = true;
    video.autoplay = true;
  }

  start(): void {
    this.stopped = false;
    this.connect();
    // A WebSocket can stay open while nothing arrives (a hung proxy, a sleeping laptop): when a
    // playing stream goes silent, reconnect instead of freezing on the last frame.
    const stallMs = this.opts.stallMs ?? 8000;
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (this.state !== 'playing' || Date.now() - this.lastDataAt < stallMs) return;
      this.setState('reconnecting', `no video for ${Math.round(stallMs / 1000)} s`);
      const hung = this.ws;
      this.ws = undefined; // its late close event must not schedule a second reconnect
      hung?.close();
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    }, Math.max(250, Math.round(stallMs / 4)));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    this.ws?.close();
    this.ws = undefined;
    this.resetMedia();
    this.setState('stopped');
  }

  private setState(s: PlayerState, detail?: string): void {
    if (this.state === s && !detail) return;
    this.state = s;
    this.opts.onState?.(s, detail);
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') return this.onText(ev.data);
      this.onBinary(ev.data as ArrayBuffer);
    };
    ws.onclose = () => {
      if (this.ws !== ws || this.stopped) return;
      if (this.refused) {
        // Keep saying why (the refusal names the camera and the limit); a place may free up.
        this.refused = false;
        this.retryTimer = setTimeout(() => this.connect(), 15_000);
        return;
      }
      this.setState('reconnecting', 'connection to the hub lost');
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  private onText(text: string): void {
    let msg: { status?: string; detail?: string };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.status === 'reconnecting') this.setState('reconnecting', msg.detail);
    else if (msg.status === 'failed') this.setState('failed', msg.detail);
    else if (msg.status === 'refused') {
      this.refused = true;
      this.setState('failed', msg.detail);
    }
  }

  private onBinary(data: ArrayBuffer): void {
    this.lastDataAt = Date.now();
    const bytes = new Uint8Array(data);
    const type = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
    if (type === 'ftyp') return this.onInit(data, bytes);
    if (!this.sb && !this.ms) return; // fragment before any init: wait for one
    this.queue.push(data);
    this.pump();
  }

  private resetMedia(): void {
    this.queue = [];
    this.sb = undefined;
    if (this.ms && this.ms.readyState === 'open') {
      try {
        this.ms.endOfStream();
      } catch {
        /* closing anyway */
      }
    }
    this.ms = undefined;
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = undefined;
    this.sought = false;
  }

  private onInit(data: ArrayBuffer, bytes: Uint8Array): void {
    this.resetMedia();
    this.retryMs = 500;
    const codec = codecOfInit(bytes) ?? 'avc1.42e01e';
    const mime = `video/mp4; codecs="${codec}"`;
    if (!MediaSource.isTypeSupported(mime)) {
      this.setState('failed', `this browser cannot play ${mime}`);
      return;
    }
    const ms = new MediaSource();
    this.ms = ms;
    this.objectUrl = URL.createObjectURL(ms);
    this.video.src = this.objectUrl;
    ms.addEventListener('sourceopen', () => {
      if (this.ms !== ms) return;
      const sb = ms.addSourceBuffer(mime);
      sb.mode = 'segments';
      sb.addEventListener('updateend', () => this.afterAppend());
      this.sb = sb;
      this.queue.unshift(data);
      this.pump();
    }, { once: true });
  }

  private pump(): void {
    const sb = this.sb;
    if (!sb || sb.updating || !this.queue.length) return;
    try {
      sb.appendBuffer(this.queue.shift()!);
    } catch (e) {
      // QuotaExceeded: drop what was played and try again next time.
      this.trim(true);
      this.setState('reconnecting', (e as Error).message);
    }
  }

  private afterAppend(): void {
    const v = this.video;
    const b = v.buffered;
    if (b.length) {
      const end = b.end(b.length - 1);
      if (!this.sought) {
        // A late joiner's first fragment does not start at 0: start from what we have.
        v.currentTime = b.start(b.length - 1);
        this.sought = true;
        void v.play().catch(() => {});
      }
      const lag = end - v.currentTime;
      if (lag > (this.opts.maxLagS ?? 1.0)) v.currentTime = end - 0.1;
      else v.playbackRate = lag > (this.opts.catchUpLagS ?? 0.3) ? 1.15 : 1.0;
      if (this.state !== 'playing' && v.currentTime > 0) this.setState('playing');
    }
    this.trim(false);
    this.pump();
  }

  private trim(force: boolean): void {
    const sb = this.sb;
    const v = this.video;
    if (!sb || sb.updating || !v.buffered.length) return;
    const start = v.buffered.start(0);
    const keep = this.opts.keepBehindS ?? 10;
    if (force || v.currentTime - start > keep * 2) {
      try {
        sb.remove(start, Math.max(start, v.currentTime - keep));
      } catch {
        /* next time */
      }
    }
  }
}
