// Command-line arguments of `npm run edge`. Pure, so it is table-tested.
export interface EdgeArgs {
  siteConfig: string;
  building: string;
  dataDir?: string;
}

const USAGE = 'usage: npm run edge -- --site-config DIR --building ID [--data-dir DIR]';

export function edgeArgs(argv: readonly string[]): EdgeArgs {
  const out: Partial<EdgeArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--site-config') out.siteConfig = value;
    else if (flag === '--building') out.building = value;
    else if (flag === '--data-dir') out.dataDir = value;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!out.siteConfig) throw new Error(`--site-config is required\n${USAGE}`);
  if (!out.building) throw new Error(`--building is required\n${USAGE}`);
  return out as EdgeArgs;
}
