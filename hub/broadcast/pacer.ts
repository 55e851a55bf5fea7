// A drift-free real-time pacer: packet i is due at start + i × interval, computed from the start
// every time (never "previous + interval"), so timer lateness does not accumulate over a long
// announcement. Each wake-up sends every packet that is due, then sleeps until the next deadline.

export interface Pacer {
  /** Resolves true when every packet was sent, false when stopped early. */
  done: Promise<boolean>;
  stop(): void;
}

export function pace(count: number, intervalMs: number, send: (i: number) => void, now: () => number = () => performance.now()): Pacer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let finish!: (ok: boolean) => void;
  const done = new Promise<boolean>((r) => (finish = r));
  const start = now();
  let next = 0;
  const tick = () => {
    if (stopped) return;
    const t = now();
    while (next < count && start + next * intervalMs <= t + 0.5) send(next++);
    if (next >= count) return finish(true);
    // Wake slightly early; the loop above sends only what is due.
    timer = setTimeout(tick, Math.max(0, start + next * intervalMs - now() - 1));
  };
  tick();
  return {
    done,
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      finish(false);
    },
  };
}
