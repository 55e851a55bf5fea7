// The OPC UA simulator as a process of its own (simulators/opcua/process.ts forks it). Loading
// node-opcua and building the standard address space block a thread for ~2 s: in `npm start`'s
// simulator process that starved the Modbus devices (their answers timed out), so the server now
// builds on a core of its own (cold start, docs/performance.md). The parent keeps a copy of the
// plant's variables, refreshed every step, so `get` stays synchronous there.
import { startOpcuaSimulator, type OpcuaSimulator } from './server.js';
import { plantSpec } from './plant.js';
import type { FromOpcuaChild, OpcuaChildOptions, Snapshot, ToOpcuaChild } from './process-messages.js';

const send = (m: FromOpcuaChild) => {
  if (process.connected) process.send!(m);
};
const opts = JSON.parse(process.env.WATCHFLOOR_OPCUA_SIM ?? '{}') as OpcuaChildOptions;
const paths = plantSpec().variables.map((v) => v.path);
let setsApplied = 0;
const snapshot = (sim: OpcuaSimulator): Snapshot => ({ entries: paths.map((p) => [p, sim.get(p)]), setsApplied });

let sim: OpcuaSimulator | undefined;
let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    await sim?.stop().catch(() => undefined);
    process.exit(0);
  })());

async function answer(m: Extract<ToOpcuaChild, { t: 'call' }>, s: OpcuaSimulator): Promise<void> {
  let error: string | undefined;
  try {
    if (m.op === 'kill') await s.kill();
    else if (m.op === 'revive') await s.revive();
    else await s.runScenario(m.name ?? '');
  } catch (err) {
    error = (err as Error).message;
  }
  send({ t: 'done', id: m.id, error, state: snapshot(s) });
}

process.on('message', (m: ToOpcuaChild) => {
  if (m.t === 'stop') void stop();
  else if (!sim) return;
  else if (m.t === 'set') {
    setsApplied++;
    try {
      sim.set(m.path, m.value);
    } catch {
      // the parent checked the path against its copy; nothing else can fail here
    }
  } else void answer(m, sim);
});
// Goes with its parent, also when the parent is killed: no orphaned server on the demo's port.
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => {
  if (!process.connected) void stop();
});

try {
  sim = await startOpcuaSimulator({ port: opts.port, timeScale: opts.timeScale, dataDir: opts.dataDir, tickMs: opts.tickMs, log: { info: (o, msg) => send({ t: 'log', level: 'info', obj: o, msg }), warn: (o, msg) => send({ t: 'log', level: 'warn', obj: o, msg }) } });
  send({ t: 'up', port: sim.port, endpointUrl: sim.endpointUrl, state: snapshot(sim) });
  const s = sim;
  setInterval(() => send({ t: 'state', state: snapshot(s) }), Math.min(opts.tickMs ?? 1000, 1000)).unref();
} catch (err) {
  send({ t: 'failed', message: (err as Error).message });
  process.exit(1);
}
