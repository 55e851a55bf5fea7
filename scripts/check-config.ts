// `npm run check-config [-- <config dir>]`: validate the site config and nothing else (no I/O to devices).
import { ConfigError, loadConfig } from '../hub/config/load.js';

const dir = process.argv[2] ?? process.env.WATCHFLOOR_CONFIG ?? 'config';
try {
  const cfg = loadConfig(dir);
  const byProtocol = new Map<string, number>();
  for (const p of cfg.points) byProtocol.set(p.info.protocol, (byProtocol.get(p.info.protocol) ?? 0) + 1);
  const floors = cfg.site.buildings.reduce((n, b) => n + b.floors.length, 0);
  console.log(`${dir}: OK — site ${cfg.site.id}, ${cfg.site.buildings.length} building(s), ${floors} floors, ` +
    `${cfg.connections.length} connections, ${cfg.devices.length} devices, ${cfg.points.length} points ` +
    `(${[...byProtocol].map(([p, n]) => `${p} ${n}`).join(', ')}), ${cfg.users.length} users`);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
