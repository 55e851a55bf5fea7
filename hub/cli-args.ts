// Which config folder to run: `--config DIR` (or `--config=DIR`) on the command line, else the
// WATCHFLOOR_CONFIG environment variable, else ./config. Pure, so the precedence is table-tested.

export class CliArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliArgsError';
  }
}

export function configDirFrom(argv: readonly string[], env: { WATCHFLOOR_CONFIG?: string }): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') {
      const dir = argv[i + 1];
      if (dir === undefined || dir === '' || dir.startsWith('--')) throw new CliArgsError('--config needs a folder: --config DIR');
      return dir;
    }
    if (a.startsWith('--config=')) {
      const dir = a.slice('--config='.length);
      if (!dir) throw new CliArgsError('--config needs a folder: --config=DIR');
      return dir;
    }
  }
  return env.WATCHFLOOR_CONFIG || 'config';
}
