// The demo simulators as a child of `npm start` (scripts/sims-process.ts starts it with an IPC
// channel). It stops on the parent's `stop`, on SIGTERM and when the parent goes away (also when it
// is killed), so no simulated device or camera outlives the demo.
import { createLogger } from '../hub/log.js';
import { SIMULATORS, startDemoSimulators, type DemoSimulators } from '../simulators/demo.js';
import type { EndpointAccess } from '../simulators/control/engine.js';
import type { FromChild, ToChild } from './sims-process.js';

const log = createLogger({ name: 'watchfloor' }).child({ component: 'simulators' });
const send = (m: FromChild) => {
  if (process.connected) process.send!(m);
};

// The history proxy lives in the parent (it starts the database): the control channel's
// history-down fault asks it there.
const pending = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
let seq = 0;
const historyCall = (op: 'down' | 'up') =>
  new Promise<void>((ok, fail) => {
    if (!process.connected) return fail(new Error('npm start is gone'));
    const id = ++seq;
    pending.set(id, { ok, fail });
    send({ t: 'history', id, op });
  });
const history: EndpointAccess = { down: () => historyCall('down'), up: () => historyCall('up') };

send({ t: 'starting', names: SIMULATORS.map((s) => s.name) });
const starting: Promise<DemoSimulators> = startDemoSimulators({ log, history, onUp: (name) => send({ t: 'up', name }) });
let stopping: Promise<void> | undefined;
// Waits for a start under way: a stop while starting must not leave a camera it spawned behind.
const stop = () =>
  (stopping ??= (async () => {
    try {
      await (await starting.catch(() => undefined))?.stop();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'simulators did not stop cleanly');
    }
    process.exit(0);
  })());

process.on('message', (m: ToChild) => {
  if (m.t === 'stop') void stop();
  else if (m.t === 'history-done') {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.fail(new Error(m.error));
    else p?.ok();
  }
});
process.on('disconnect', () => void stop());
// Ctrl-C reaches the whole process group: while `npm start` is there it decides the order (the hub
// stops first, then it sends `stop`), so the devices do not vanish under a running hub.
process.on('SIGINT', () => {
  if (!process.connected) void stop();
});
process.on('SIGTERM', () => void stop());

try {
  const sims = await starting;
  if (!stopping) send({ t: 'ready', describe: sims.describe() });
} catch (err) {
  // startDemoSimulators stopped what it had started before it threw.
  send({ t: 'failed', message: (err as Error).message });
  process.exit(1);
}
