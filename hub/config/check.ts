// `npm run check-config` as a function: the report text and exit code for a config folder.
// Never a stack trace: a config problem is `file: path: reason`, and anything unexpected (a bug)
// is one line saying so.
import { ConfigError } from './errors.js';
import { oneLine } from './read.js';
import { validateConfigFolder, type ValidateOptions } from './validate.js';

export interface CheckResult {
  /** 0 OK, 1 config refused, 2 the check itself failed (a bug: report it). */
  exitCode: 0 | 1 | 2;
  text: string;
}

export function checkConfigFolder(dir: string, opts: ValidateOptions = {}): CheckResult {
  try {
    const cfg = validateConfigFolder(dir, opts);
    const byProtocol = new Map<string, number>();
    for (const p of cfg.points) byProtocol.set(p.info.protocol, (byProtocol.get(p.info.protocol) ?? 0) + 1);
    const floors = cfg.site.buildings.reduce((n, b) => n + b.floors.length, 0);
    return {
      exitCode: 0,
      text: `${dir}: OK — site ${cfg.site.id}, ${cfg.site.buildings.length} building(s), ${floors} floors, ` +
        `${cfg.connections.length} connections, ${cfg.devices.length} devices, ${cfg.points.length} points ` +
        `(${[...byProtocol].map(([p, n]) => `${p} ${n}`).join(', ')}), ${cfg.users.length} users, ` +
        `${cfg.floorPlans.size} floor plan(s)`,
    };
  } catch (err) {
    if (err instanceof ConfigError) return { exitCode: 1, text: err.message };
    return { exitCode: 2, text: `check-config failed unexpectedly (a bug, please report it): ${oneLine(err)}` };
  }
}
