// `npm run sim [-- --scenario leak-b1] [--time-scale 10]`: starts the device simulators on their
// demo ports and keeps them running; Ctrl-C stops them cleanly. The list lives in demo.ts.
import pino from 'pino';
import { startDemoSimulators } from './demo.js';

const log = pino({ name: 'sim', level: process.env.LOG_LEVEL ?? 'info' });

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const scenario = argValue('--scenario');
  const timeScale = Number(argValue('--time-scale') ?? 1);
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got ${argValue('--time-scale')}`);

  const sims = await startDemoSimulators({ log, timeScale });
  for (const { name, sim } of sims.running) {
    console.log(`${name} simulator:`);
    for (const [id, port] of Object.entries(sim.ports)) console.log(`  ${id.padEnd(16)} 127.0.0.1:${port}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping simulators');
    await sims.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (scenario) {
    log.info({ scenario, timeScale }, 'playing scenario');
    try {
      await sims.runScenario(scenario, { timeScale });
      log.info({ scenario }, 'scenario finished; simulators keep running (Ctrl-C to stop)');
    } catch (err) {
      if (stopping) return;
      console.error((err as Error).message);
      await sims.stop();
      process.exit(1);
    }
  }
  // Keep the process alive: the simulators' timers are unref'd so tests never hang on them.
  setInterval(() => {}, 1 << 30);
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
