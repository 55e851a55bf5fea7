// `npm run hub`: load config (WATCHFLOOR_CONFIG, default ./config), create drivers, run the hub until SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config/load.js';
import { createDrivers } from './drivers.js';
import { createLogger } from './log.js';
import { createHub } from './server.js';
import { defaultModules } from './modules.js';

const log = createLogger();
const configDir = process.env.WATCHFLOOR_CONFIG ?? 'config';

let config;
try {
  config = loadConfig(configDir);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`config ${configDir} refused:\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const hub = await createHub(config, { drivers: createDrivers(config), modules: defaultModules(config, log), log });
process.stdout.write(`Watchfloor hub on ${hub.url}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // A hung driver must not keep the process alive forever.
    setTimeout(() => {
      log.error({}, 'stop took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    hub.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
