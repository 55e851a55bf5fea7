// Lengths of synchronous tasks on the event loop, by name: a loop-delay p99 of 50 ms means some
// synchronous chunk of work ran that long, and a CPU profile alone does not say which call it was
// (nor shows a blocking syscall as clearly). Wrap the hot handlers, then read p99/max/total per name.
// Each task is timed in wall time and in CPU time (process.cpuUsage, all threads, µs resolution): on a
// shared machine the wall time includes the time the process waited for a core, the CPU time does not.
interface Times {
  wall: number[];
  cpu: number[];
}

export class TaskTimes {
  private readonly times = new Map<string, Times>();

  /** `fn` timed under `name`; `this` is passed through, so it can replace a prototype method. */
  wrap<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
    const times = this.times;
    return function (this: unknown, ...args: A): R {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        const wall = performance.now() - t0;
        const c = process.cpuUsage(c0);
        let t = times.get(name);
        if (!t) times.set(name, (t = { wall: [], cpu: [] }));
        t.wall.push(wall);
        t.cpu.push((c.user + c.system) / 1000);
      }
    };
  }

  /** Replaces `obj[key]` (a method or an own function property) with its timed version. */
  patch(obj: object, key: string, name = key): void {
    const o = obj as Record<string, (...a: unknown[]) => unknown>;
    o[key] = this.wrap(name, o[key]);
  }

  reset(): void {
    this.times.clear();
  }

  /** One line per name, longest CPU max first: calls, CPU total (share of the wall), CPU p99/max, wall p99/max. */
  summary(wallMs: number): string[] {
    const stat = (xs: number[]) => {
      const s = Float64Array.from(xs).sort();
      return { total: s.reduce((a, b) => a + b, 0), p99: s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)], max: s[s.length - 1] };
    };
    const rows = [...this.times].map(([name, t]) => ({ name, n: t.wall.length, cpu: stat(t.cpu), wall: stat(t.wall) }));
    rows.sort((a, b) => b.cpu.max - a.cpu.max);
    const f = (n: number) => n.toFixed(1);
    return rows.map((r) => `${r.name}: ${r.n}×, CPU ${r.cpu.total.toFixed(0)} ms (${f((r.cpu.total / wallMs) * 100)} % of a core), CPU p99/max ${f(r.cpu.p99)} / ${f(r.cpu.max)} ms, wall p99/max ${f(r.wall.p99)} / ${f(r.wall.max)} ms`);
  }
}
