// `npm run hub [-- --config DIR]`: load config (--config, else WATCHFLOOR_CONFIG, else ./config), create drivers, run the hub until SIGINT/SIGTERM.
import { ConfigError } from './config/load.js';
import { validateConfigFolder } from './config/validate.js';
import { createDrivers } from './drivers.js';
import { createLogger } from './log.js';
import { configDirFrom } from './cli-args.js';
import { createHub } from './server.js';
import { DemoPasswordError } from './auth/demo-passwords.js';
import { defaultModules } from './modules.js';

const log = createLogger();
// The config folder: `npm run hub -- --config DIR`, else WATCHFLOOR_CONFIG, else ./config.
let configDir: string;
try {
  configDir = configDirFrom(process.argv.slice(2), process.env);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}

let config;
try {
  // The same checks as `npm run check-config`, floor plans included: a config problem never gets past here as a stack trace.
  config = validateConfigFolder(configDir);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`config ${configDir} refused:\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const hub = await createHub(config, { drivers: createDrivers(config), modules: defaultModules(config, log), log, prepareReload: true }).catch((err: unknown) => {
  // Demo passwords off loopback: a refusal with its fix, not a stack trace (hub/auth/demo-passwords.ts).
  if (err instanceof DemoPasswordError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  // Config-shaped failures at start (a floor plan a module re-reads, the listen address of hub.yaml):
  // one line naming the file or setting, never a stack trace (issue 11 item 4).
  if (err instanceof ConfigError || (err as Error)?.name === 'FloorPlanError') {
    process.stderr.write(`config ${configDir} refused:\n${(err as Error).message}\n`);
    process.exit(1);
  }
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    process.stderr.write(`${configDir}/hub.yaml: host/port: cannot listen on ${config.hub.host}:${config.hub.port} (${code})\n`);
    process.exit(1);
  }
  throw err;
});
process.stdout.write(`Watchfloor hub on ${hub.url}\n`);

// SIGHUP: re-read the config folder and apply the difference live (hub/reload; docs/reload.md).
process.on('SIGHUP', () => {
  hub.reload('system', 'sighup').then(
    (r) => process.stdout.write(r.ok ? `config reloaded: ${r.summary}\n` : `config refused, nothing changed:\n${r.problems.join('\n')}\n`),
    (err) => log.error({ err }, 'config reload failed'),
  );
});

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
