// Lowering a child process's CPU priority: background work (the local influxd's history writes, the
// demo cameras' video encoders) takes what latency work (the hub's live push, alarms, device polls)
// leaves on a small machine.
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';

/** Sets the niceness of a spawned process (clamped to 1–19; 0/undefined: left as it is). Never throws. */
export function lowerPriority(child: ChildProcess, nice: number | undefined): void {
  if (!nice || child.pid === undefined) return;
  try {
    os.setPriority(child.pid, Math.min(19, Math.max(1, Math.round(nice))));
  } catch {
    // gone already, or not permitted: it keeps its priority
  }
}
