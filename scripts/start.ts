// `npm start`: the whole demo on one machine — simulators, hub and console — with
// the URL and the demo logins printed. Ctrl-C stops everything cleanly.
import type { ProxiedHistory } from './history-proxy.js';
import { spawnDemoSimulators } from './sims-process.js';

// Cold start (docs/performance.md): the simulators start first, in a process of their own, so
// loading node-opcua's server and spawning the cameras use the second core while this one loads
// the hub; only then does this module load the hub's code (the dynamic imports below).
const simsProcess = spawnDemoSimulators({ onExit: (code, signal) => console.error(`The demo simulators stopped unexpectedly (${signal ?? `code ${code}`}); their devices will show offline.`) });
const [{ ConfigError }, { validateConfigFolder }, { createDrivers }, { createLogger }, { configDirFrom }, { createHub }, { demoPasswordOf, usersWithDemoPasswords }, { defaultModules }, { ensureConsoleBuilt }, { startProxiedHistory }] = await Promise.all([
  import('../hub/config/load.js'),
  import('../hub/config/validate.js'),
  import('../hub/drivers.js'),
  import('../hub/log.js'),
  import('../hub/cli-args.js'),
  import('../hub/server.js'),
  import('../hub/auth/demo-passwords.js'),
  import('../hub/modules.js'),
  import('./console-build.js'),
  import('./history-proxy.js'),
]);

const log = createLogger({ name: 'watchfloor' });
/** The demo simulator serving a protocol, where the names differ (the cameras' RTSP streams are the ONVIF simulator's). */
const SIMULATOR_OF_PROTOCOL: Record<string, string> = { rtsp: 'onvif' };
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
  simsProcess.setHistory(history?.proxy ?? null);
  // The hub listens first, so the console and /api/health answer while the simulators (started at
  // the top of this file) come up; each protocol's drivers start once its simulated devices listen,
  // so no first connect is refused into a backoff, and the Modbus devices do not wait for the OPC UA
  // server's address space.
  let hub;
  let sims: { describe: string };
  try {
    const drivers = createDrivers(config);
    hub = await createHub(config, { drivers, modules: defaultModules(config, log), log, startDriversAfter: (protocol) => simsProcess.up(SIMULATOR_OF_PROTOCOL[protocol] ?? protocol) });
    sims = await simsProcess.ready;
  } catch (e) {
    // Leave nothing running behind a failed start (simulated cameras spawn ffmpeg).
    await hub?.stop().catch(() => {});
    await simsProcess.stop().catch(() => {});
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
      `  ${config.points.length} points on ${config.connections.length} connections; simulators: ${sims.describe}`,
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
    await simsProcess.stop();
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
