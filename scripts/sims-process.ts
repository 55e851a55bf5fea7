// `npm start`'s demo simulators in a child process of their own (scripts/sims-child.ts), started at
// t=0: loading node-opcua's server, building its address space and spawning the cameras then runs on
// the second core while the hub boots, instead of after it on the hub's thread (docs/performance.md,
// "Cold start"). Only node: imports and import-free modules here, so the entry can spawn it before it
// loads anything heavy.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { EndpointAccess } from '../simulators/control/engine.js';
import { NO_HISTORY_PROXY } from '../simulators/control/messages.js';

/** Messages between this process and scripts/sims-child.ts. */
export type ToChild = { t: 'stop' } | { t: 'history-done'; id: number; error?: string };
export type FromChild =
  | { t: 'starting'; names: string[] }
  | { t: 'up'; name: string }
  | { t: 'ready'; describe: string }
  | { t: 'failed'; message: string }
  | { t: 'history'; id: number; op: 'down' | 'up' };

export interface SimsProcess {
  /** Resolves once every simulator listens (with the demo's describe() line); rejects if they could not start. */
  ready: Promise<{ describe: string }>;
  /**
   * Settles once the simulator `name` (a protocol: modbus, opcua, onvif) listens, at once when the
   * demo has no simulator of that name, and at the latest when `ready` settles. Never rejects.
   */
  up(name: string): Promise<void>;
  /** The history proxy the control channel's history-down fault drives (null: embedded store, none). */
  setHistory(proxy: EndpointAccess | null): void;
  /** Stops the simulators and waits for the process to exit (killed after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const LAUNCH = path.join(import.meta.dirname, 'launch.mjs');
const CHILD = path.join(import.meta.dirname, 'sims-child.ts');

export interface SpawnOptions {
  onExit?: (code: number | null, signal: string | null) => void;
  /** The child to fork; default the launcher running scripts/sims-child.ts (tests use a scripted stand-in). */
  child?: { module: string; args: string[] };
}

export function spawnDemoSimulators(opts: SpawnOptions = {}): SimsProcess {
  // Through the launcher (a prebuilt bundle, or tsx) with this process's node flags; same terminal for its logs.
  const { module, args } = opts.child ?? { module: LAUNCH, args: [CHILD] };
  const child: ChildProcess = fork(module, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: module === LAUNCH ? process.execArgv : [] });
  let exited = false;
  const exit = new Promise<void>((ok) => child.once('exit', () => ((exited = true), ok())));
  let history: EndpointAccess | null | undefined; // undefined: not known yet
  let historyKnown!: () => void;
  const historySet = new Promise<void>((ok) => (historyKnown = ok));
  let stopping = false;
  const ups = new Map<string, { promise: Promise<void>; settle: () => void }>();
  const upOf = (name: string) => {
    let u = ups.get(name);
    if (!u) {
      let settle!: () => void;
      const promise = new Promise<void>((ok) => (settle = ok));
      ups.set(name, (u = { promise, settle }));
    }
    return u;
  };
  let names: Set<string> | undefined;
  const ready = new Promise<{ describe: string }>((ok, fail) => {
    child.on('message', (m: FromChild) => {
      if (m.t === 'starting') {
        names = new Set(m.names);
        for (const [name, u] of ups) if (!names.has(name)) u.settle();
      } else if (m.t === 'up') upOf(m.name).settle();
      else if (m.t === 'ready') ok({ describe: m.describe });
      else if (m.t === 'failed') fail(new Error(m.message));
      else if (m.t === 'history') void answerHistory(m.id, m.op);
    });
    child.once('exit', (code, signal) => {
      fail(new Error(`the simulators exited before they were up (${signal ?? `code ${code}`})`));
      if (!stopping) opts.onExit?.(code, signal);
    });
  });
  ready.catch(() => {}); // the caller awaits it; an early exit must not be an unhandled rejection here
  let allSettled = false;
  const settleAll = () => {
    allSettled = true;
    for (const u of ups.values()) u.settle();
  };
  ready.then(settleAll, settleAll);
  const answerHistory = async (id: number, op: 'down' | 'up') => {
    await historySet;
    let error: string | undefined;
    try {
      if (!history) throw new Error(NO_HISTORY_PROXY);
      await history[op]();
    } catch (err) {
      error = (err as Error).message;
    }
    if (child.connected) child.send({ t: 'history-done', id, error } satisfies ToChild);
  };
  return {
    ready,
    up(name) {
      const u = upOf(name);
      if (allSettled || (names && !names.has(name))) u.settle();
      return u.promise;
    },
    setHistory(proxy) {
      history = proxy;
      historyKnown();
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      if (exited) return;
      if (child.connected) child.send({ t: 'stop' } satisfies ToChild);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
