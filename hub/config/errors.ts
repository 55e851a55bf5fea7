// Config problems name the file, the path inside it and the reason, e.g.
// `config/devices/modbus.yaml: devices[3].points[12].source.address: must be 0..65535`.
import path from 'node:path';

export type ConfigPath = ReadonlyArray<string | number | symbol>;

export interface ConfigProblem {
  file: string;
  path: ConfigPath;
  message: string;
}

/** `['devices', 3, 'points', 12, 'source']` → `devices[3].points[12].source` */
export function formatConfigPath(p: ConfigPath): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out ? '.' : '') + String(seg);
  }
  return out;
}

export function displayFile(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function formatProblem(p: ConfigProblem): string {
  const where = formatConfigPath(p.path);
  return `${displayFile(p.file)}: ${where ? `${where}: ` : ''}${p.message}`;
}

export class ConfigError extends Error {
  constructor(public readonly problems: ConfigProblem[]) {
    super(
      `Config refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
