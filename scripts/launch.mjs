// `node scripts/launch.mjs <entry.ts> [args…]`: runs a TypeScript entry (hub/main.ts, scripts/start.ts)
// from a prebuilt bundle of the project's own files in dist/node/, instead of through tsx's loader
// (~1–1.5 s of a cold start on this box: ~300 files resolved and transformed one by one; docs/
// performance.md, "Cold start"). Plain JavaScript, so it needs no loader itself.
//
// - The bundle is rebuilt (esbuild, ~0.3 s) when it is missing or stale: any of its input files, or
//   package.json / package-lock.json / tsconfig.json, is newer than the build. A stale one never runs.
// - Only project files are bundled; every npm package stays external and loads from node_modules
//   as before. Dynamic imports stay separate chunks (splitting), so libraries a driver loads lazily
//   (node-opcua, modbus-serial, …) still load only when it starts.
// - `import.meta.url` / `dirname` / `filename` keep naming the source file (a file next to the
//   source, a worker entry), not the bundle.
// - If esbuild cannot build, the entry runs from sources through tsx, as before, with a warning.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const OUT = path.join(ROOT, 'dist', 'node');
/** Not in the bundle's inputs, but they change what it must be. */
const ALWAYS = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/launch.mjs'];
/** Builds kept per entry: an older one may still be running and load a lazy chunk later. */
const KEEP = 3;

const entryName = (entry) => entry.replace(/\.ts$/, '').replace(/[\\/]/g, '__');
const manifestFile = (root, entry) => path.join(root, 'dist', 'node', `${entryName(entry)}.json`);

/** The bundle to run for `entry` (a path relative to the repo), or null when it is missing or stale. Stats each input once. */
export function freshBundle(entry, root = ROOT) {
  let m;
  try {
    m = JSON.parse(fs.readFileSync(manifestFile(root, entry), 'utf8'));
  } catch {
    return null;
  }
  if (m.root !== root || !fs.existsSync(path.join(root, m.main))) return null;
  for (const rel of [...m.inputs, ...ALWAYS]) {
    let st;
    try {
      st = fs.statSync(path.join(root, rel));
    } catch {
      if (ALWAYS.includes(rel)) continue; // e.g. no package-lock.json
      return null; // an input is gone: the sources changed
    }
    if (st.mtimeMs > m.builtAt) return null;
  }
  return path.join(root, m.main);
}

/** esbuild keeps `import.meta` as is; in a bundle it would name the bundle. Replace it by the source's. */
const sourceMeta = (root) => ({
  name: 'source-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.(m?ts|m?js)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !args.path.startsWith(root)) return undefined;
      let contents = await fs.promises.readFile(args.path, 'utf8');
      if (contents.includes('import.meta')) {
        const values = { url: pathToFileURL(args.path).href, dirname: path.dirname(args.path), filename: args.path };
        contents = contents.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, k) => JSON.stringify(values[k]));
      }
      return { contents, loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
});

/** Builds the bundle for `entry` into a new folder, then points the manifest at it (atomic rename). */
export async function buildBundle(entry, root = ROOT) {
  // esbuild comes with tsx (and vite); resolve it the way tsx does, it is not a direct dependency.
  const esbuild = createRequire(createRequire(path.join(root, 'package.json')).resolve('tsx/package.json'))('esbuild');
  const startedAt = Date.now();
  const dir = path.join('dist', 'node', `${entryName(entry)}-${startedAt.toString(36)}-${process.pid}`);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: entry },
    outdir: path.join(root, dir),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceMeta(root)],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  // builtAt is when the build began: a source saved during the build makes the result stale.
  const manifest = { root, main: path.join(dir, 'main.mjs'), builtAt: startedAt, inputs };
  const file = manifestFile(root, entry);
  fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(manifest));
  fs.renameSync(`${file}.${process.pid}`, file);
  const builds = fs.readdirSync(path.join(root, 'dist', 'node')).filter((d) => d.startsWith(`${entryName(entry)}-`) && !d.endsWith('.json')).sort((a, b) => parseInt(b.split('-').at(-2), 36) - parseInt(a.split('-').at(-2), 36));
  for (const old of builds.slice(KEEP)) fs.rmSync(path.join(root, 'dist', 'node', old), { recursive: true, force: true });
  return path.join(root, manifest.main);
}

/** The bundle for `entry`, built first when missing or stale; null (with the reason on stderr) when it cannot be built. */
export async function ensureBundle(entry, root = ROOT) {
  const fresh = freshBundle(entry, root);
  if (fresh) return fresh;
  try {
    return await buildBundle(entry, root);
  } catch (err) {
    process.stderr.write(`launch: could not bundle ${entry} (${err.message.split('\n')[0]}); running it from sources through tsx\n`);
    return null;
  }
}

async function main() {
  const entry = process.argv[2];
  if (!entry?.endsWith('.ts')) {
    process.stderr.write('usage: node scripts/launch.mjs <entry.ts> [args…]\n');
    process.exit(2);
  }
  const rel = path.relative(ROOT, path.resolve(entry));
  const bundle = await ensureBundle(rel);
  // The entry sees the arguments it would have seen run directly.
  process.argv.splice(1, 2, bundle ?? path.join(ROOT, rel));
  if (!bundle) (await import('tsx/esm/api')).register();
  await import(pathToFileURL(bundle ?? path.join(ROOT, rel)).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
