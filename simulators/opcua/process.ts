// The OPC UA simulator in a process of its own (child.ts), driven like the in-process one: the
// demo's simulators (simulators/demo.ts) and its control channel (faults, scenarios) use this.
// `set` goes to the child at once and into a local copy; `get` reads the copy, which the child
// refreshes every plant step and after every call, so it lags the plant by at most one step.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { FromOpcuaChild, OpcuaChildOptions, PlantValue, Snapshot, ToOpcuaChild } from './process-messages.js';

/** The project's launcher: runs a TypeScript entry from a prebuilt bundle (or through tsx). */
const LAUNCH = path.resolve(import.meta.dirname, '../../scripts/launch.mjs');
const CHILD = path.join(import.meta.dirname, 'child.ts');

export interface OpcuaSimulatorProcess {
  port: number;
  endpointUrl: string;
  set(path: string, value: PlantValue): void;
  get(path: string): PlantValue;
  kill(): Promise<void>;
  revive(): Promise<void>;
  runScenario(name: string): Promise<void>;
  /** Stops the server and waits for the process to exit (killed after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export function startOpcuaSimulatorProcess(opts: OpcuaChildOptions & { log?: Log }): Promise<OpcuaSimulatorProcess> {
  const { log, ...childOpts } = opts;
  const child: ChildProcess = fork(LAUNCH, [CHILD], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.execArgv,
    env: { ...process.env, WATCHFLOOR_OPCUA_SIM: JSON.stringify(childOpts) },
  });
  const state = new Map<string, PlantValue>();
  const calls = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
  let seq = 0;
  let exited = false;
  const exit = new Promise<void>((ok) => child.once('exit', () => ((exited = true), ok())));
  const send = (m: ToOpcuaChild) => {
    if (child.connected) child.send(m);
  };
  const call = (op: 'kill' | 'revive' | 'scenario', name?: string) =>
    new Promise<void>((ok, fail) => {
      if (!child.connected) return fail(new Error('the OPC UA simulator process is gone'));
      const id = ++seq;
      calls.set(id, { ok, fail });
      send({ t: 'call', id, op, name });
    });
  // A snapshot read before the child applied our latest `set` of a variable must not undo it here.
  let setsSent = 0;
  const lastSet = new Map<string, number>();
  const refresh = (s: Snapshot) => {
    for (const [p, v] of s.entries) if ((lastSet.get(p) ?? 0) <= s.setsApplied) state.set(p, v);
  };

  return new Promise((resolve, reject) => {
    child.on('message', (m: FromOpcuaChild) => {
      if (m.t === 'state') refresh(m.state);
      else if (m.t === 'log') log?.[m.level](m.obj, m.msg);
      else if (m.t === 'done') {
        refresh(m.state);
        const c = calls.get(m.id);
        calls.delete(m.id);
        if (m.error) c?.fail(new Error(m.error));
        else c?.ok();
      } else if (m.t === 'failed') reject(new Error(m.message));
      else if (m.t === 'up') {
        refresh(m.state);
        resolve({
          port: m.port,
          endpointUrl: m.endpointUrl,
          set(p, v) {
            if (!state.has(p)) throw new Error(`simulator: unknown variable "${p}"`);
            state.set(p, v);
            lastSet.set(p, ++setsSent);
            send({ t: 'set', path: p, value: v });
          },
          get(p) {
            const v = state.get(p);
            if (v === undefined) throw new Error(`simulator: unknown variable "${p}"`);
            return v;
          },
          kill: () => call('kill'),
          revive: () => call('revive'),
          runScenario: (name) => call('scenario', name),
          async stop(graceMs = 10_000) {
            if (exited) return;
            if (child.connected) send({ t: 'stop' });
            else child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            await exit;
            clearTimeout(timer);
          },
        });
      }
    });
    child.once('exit', (code, signal) => {
      for (const c of calls.values()) c.fail(new Error(`the OPC UA simulator process exited (${signal ?? `code ${code}`})`));
      calls.clear();
      reject(new Error(`the OPC UA simulator process exited before it was up (${signal ?? `code ${code}`})`));
    });
  });
}
