// `npm start`: the whole demo on one machine — simulators, hub and console — with
// the URL and the demo logins printed. Ctrl-C stops everything cleanly.
import { loadConfig, ConfigError } from '../hub/config/load.js';
import { createDrivers } from '../hub/drivers.js';
import { createLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { defaultModules } from '../hub/modules.js';
import { startDemoSimulators } from '../simulators/demo.js';
import { ensureConsoleBuilt } from './console-build.js';

const log = createLogger({ name: 'watchfloor' });
const configDir = process.env.WATCHFLOOR_CONFIG ?? 'config';

async function main() {
  let config;
  try {
    config = loadConfig(configDir);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  ensureConsoleBuilt((m) => log.info({}, m));

  const sims = await startDemoSimulators({ log: log.child({ component: 'simulators' }) });
  let hub;
  try {
    const drivers = createDrivers(config);
    hub = await createHub(config, { drivers, modules: defaultModules(config, log), log });
  } catch (e) {
    // Leave nothing running behind a failed start (simulated cameras spawn ffmpeg).
    await sims.stop().catch(() => {});
    console.error(`Watchfloor could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }

  const demoUsers = config.users.map((u) => `    ${u.username.padEnd(12)} ${`${u.username}-demo`.padEnd(18)} ${u.role}`);
  console.log(
    [
      '',
      `  Watchfloor is running at ${hub.url}`,
      `  ${config.points.length} points on ${config.connections.length} connections; simulators: ${sims.describe()}`,
      '',
      '  Demo logins (username / password / role):',
      ...demoUsers,
      '',
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await hub.stop();
    await sims.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
