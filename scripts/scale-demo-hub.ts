// Child of scripts/scale-demo.ts: one full hub (every default module) on the config folder given,
// which carries its own port and data folder. The estate's test site has no floor plans, so the
// folder is loaded without the repository's plans (which name the demo's buildings).
import { loadConfig } from '../hub/config/load.js';
import { createDrivers } from '../hub/drivers.js';
import { createLogger } from '../hub/log.js';
import { defaultModules } from '../hub/modules.js';
import { createHub } from '../hub/server.js';

const [configDir, name] = process.argv.slice(2);
const log = createLogger({ name, level: process.env.LOG_LEVEL ?? 'warn' });
const config = loadConfig(configDir);
config.floorPlans = new Map(); // the test site has no plans (the repository's name the demo's buildings)
const hub = await createHub(config, { drivers: createDrivers(config), modules: defaultModules(config, log), log });
const stop = () => void hub.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.send?.({ type: 'ready', url: hub.url });
