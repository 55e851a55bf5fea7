// Bounds concurrent password-hash checks. scrypt runs on libuv's 4 threads and takes ~16 MiB and
// tens of ms each: unbounded, a flood queues hundreds of them and every sign-in waits behind it.
// A bounded queue, with at most `perKey` waiting per client address, keeps one client from
// filling it; beyond that the caller answers "busy" at once, costing no hash.

export class HashQueueFull extends Error {
  constructor(readonly reason: 'queue' | 'client') {
    super(reason === 'queue' ? 'too many sign-ins are being checked' : 'this client already has sign-ins being checked');
  }
}

export class HashQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly perKeyCount = new Map<string, number>();

  constructor(
    private readonly concurrency = 2,
    private readonly maxWaiting = 32,
    private readonly perKey = 2,
  ) {}

  /** Runs `task` when a slot is free; throws HashQueueFull at once when it may not wait. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const mine = this.perKeyCount.get(key) ?? 0;
    if (mine >= this.perKey) throw new HashQueueFull('client');
    if (this.running >= this.concurrency && this.waiting.length >= this.maxWaiting) throw new HashQueueFull('queue');
    this.perKeyCount.set(key, mine + 1);
    try {
      if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
      else this.running++;
      try {
        return await task();
      } finally {
        // Hand the slot straight to the next waiter (running stays the same) or free it.
        const next = this.waiting.shift();
        if (next) next();
        else this.running--;
      }
    } finally {
      const n = (this.perKeyCount.get(key) ?? 1) - 1;
      if (n <= 0) this.perKeyCount.delete(key);
      else this.perKeyCount.set(key, n);
    }
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
