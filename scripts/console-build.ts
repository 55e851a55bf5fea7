// Builds the console with Vite when dist/console is missing or older than its sources,
// so `npm start` works on a fresh clone without a separate build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = ['console', 'contracts', 'vite.config.ts'];
export const CONSOLE_DIST = path.join(ROOT, 'dist', 'console');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function consoleIsStale(): boolean {
  const index = path.join(CONSOLE_DIST, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return SOURCES.some((s) => fs.existsSync(path.join(ROOT, s)) && newestMtime(path.join(ROOT, s)) > built);
}

/** Runs `vite build` if needed; throws with Vite's output when the build fails. */
export function ensureConsoleBuilt(log: (msg: string) => void = () => {}): void {
  if (!consoleIsStale()) return;
  log('building the console (vite build)…');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`console build failed:\n${r.stdout}\n${r.stderr}`);
}
