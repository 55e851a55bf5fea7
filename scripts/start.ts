// `npm start`: the whole demo on one machine — simulators, hub and console — with
// the URL and the demo logins printed. Ctrl-C stops everything cleanly.
import { ConfigError } from '../hub/config/load.js';
import { validateConfigFolder } from '../hub/config/validate.js';
import { createDrivers } from '../hub/drivers.js';
import { createLogger } from '../hub/log.js';
import { configDirFrom } from '../hub/cli-args.js';
import { createHub } from '../hub/server.js';
import { demoPasswordOf, usersWithDemoPasswords } from '../hub/auth/demo-passwords.js';
import { defaultModules } from '../hub/modules.js';
import type { DemoSimulators } from '../simulators/demo.js';
import { ensureConsoleBuilt } from './console-build.js';
import { startProxiedHistory, type ProxiedHistory } from './history-proxy.js';

const log = createLogger({ name: 'watchfloor' });
// `npm start -- --config DIR`, else WATCHFLOOR_CONFIG, else ./config (hub/cli-args.ts).
const configDir = configDirFrom(process.argv.slice(2), process.env);

async function main() {
  let config;
  try {
    config = validateConfigFolder(configDir); // floor plans included, like check-config
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  ensureConsoleBuilt((m) => log.info({}, m));

  // The history database sits behind a proxy so a test run's history-down fault can cut it off.
  let history: ProxiedHistory | null = null;
  try {
    history = await startProxiedHistory(config.hub.history, config.hub.dataDir);
    if (history) config.hub.history = history.settings;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'history proxy not started (the history-down fault will be unavailable)');
  }
  // Cold start (docs/performance.md): the hub listens first, so the console and /api/health answer
  // while the simulators load (the OPC UA server alone is seconds of CPU) and start; the drivers
  // start once the simulated devices listen, so no first connect is refused into a backoff.
  let simsStarting: Promise<DemoSimulators> | undefined;
  let simsSettled!: () => void;
  const simsUp = new Promise<void>((ok) => (simsSettled = ok));
  const startSims = () =>
    (simsStarting ??= import('../simulators/demo.js')
      .then(({ startDemoSimulators }) => startDemoSimulators({ log: log.child({ component: 'simulators' }), history: history?.proxy }))
      .finally(() => simsSettled()));
  let hub;
  let sims: DemoSimulators | undefined;
  try {
    const drivers = createDrivers(config);
    hub = await createHub(config, { drivers, modules: defaultModules(config, log), log, onListening: () => void startSims().catch(() => {}), startDriversAfter: simsUp });
    sims = await startSims();
  } catch (e) {
    // Leave nothing running behind a failed start (simulated cameras spawn ffmpeg).
    await hub?.stop().catch(() => {});
    await simsStarting?.then((s) => s.stop()).catch(() => {});
    await history?.stop().catch(() => {});
    console.error(`Watchfloor could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }

  // Only logins that really still have their demo password are printed (hub/auth/demo-passwords.ts).
  const demoNames = new Set(await usersWithDemoPasswords(config.users));
  const demoUsers = config.users.filter((u) => demoNames.has(u.username)).map((u) => `    ${u.username.padEnd(12)} ${demoPasswordOf(u.username).padEnd(18)} ${u.role}`);
  const demoLines = demoUsers.length
    ? [
      '  Demo logins (username / password / role):',
      ...demoUsers,
      '',
      `  These are demo passwords: fine on ${hub.url}, refused on any other address.`,
      '  Before production: npm run set-password -- <username>  (README, "Production").',
    ]
    : ['  Sign in with your users (no demo passwords left).'];
  console.log(
    [
      '',
      `  Watchfloor is running at ${hub.url}`,
      `  ${config.points.length} points on ${config.connections.length} connections; simulators: ${sims.describe()}`,
      '',
      ...demoLines,
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
    await sims!.stop();
    await history?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
