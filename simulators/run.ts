// `npm run sim [-- --scenario leak-b1] [--time-scale 10]`: starts the device simulators on their
// demo ports and keeps them running; Ctrl-C stops them cleanly. Add a simulator by adding an
// entry to SIMULATORS (a start function returning ports, stop and optionally runScenario).
import pino from 'pino';
import { startModbusSimulator } from './modbus/index.js';

const log = pino({ name: 'sim', level: process.env.LOG_LEVEL ?? 'info' });

interface RunningSimulator {
  ports: Record<string, number>;
  stop(): Promise<void>;
  runScenario?(nameOrPath: string, opts?: { timeScale?: number }): Promise<void>;
}

interface SimulatorEntry {
  name: string;
  start(opts: { timeScale: number }): Promise<RunningSimulator>;
}

const SIMULATORS: SimulatorEntry[] = [
  { name: 'modbus', start: ({ timeScale }) => startModbusSimulator({ ports: 'demo', timeScale, log: log.child({ sim: 'modbus' }) }) },
];

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const scenario = argValue('--scenario');
  const timeScale = Number(argValue('--time-scale') ?? 1);
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got ${argValue('--time-scale')}`);

  const running: Array<{ name: string; sim: RunningSimulator }> = [];
  const stopAll = async () => {
    for (const { sim } of running.reverse()) await sim.stop();
  };
  try {
    for (const entry of SIMULATORS) running.push({ name: entry.name, sim: await entry.start({ timeScale }) });
  } catch (err) {
    await stopAll();
    throw err;
  }
  for (const { name, sim } of running) {
    console.log(`${name} simulator:`);
    for (const [id, port] of Object.entries(sim.ports)) console.log(`  ${id.padEnd(16)} 127.0.0.1:${port}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping simulators');
    await stopAll();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (scenario) {
    // A scenario belongs to whichever simulator knows its gateways; try them in order.
    const errors: string[] = [];
    for (const { name, sim } of running) {
      if (!sim.runScenario) continue;
      try {
        log.info({ scenario, simulator: name, timeScale }, 'playing scenario');
        await sim.runScenario(scenario, { timeScale });
        log.info({ scenario }, 'scenario finished; simulators keep running (Ctrl-C to stop)');
        return;
      } catch (err) {
        if (stopping) return;
        errors.push(`${name}: ${(err as Error).message}`);
      }
    }
    console.error(`scenario ${scenario} could not be played:\n  ${errors.join('\n  ')}`);
    await stopAll();
    process.exit(1);
  }
  // Keep the process alive: the simulators' timers are unref'd so tests never hang on them.
  setInterval(() => {}, 1 << 30);
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
