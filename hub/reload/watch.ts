// Optional watch on the config folder (hub.yaml `watchConfig: true`): a change reloads live after
// the writes settle. Editors save in several steps (temp file, rename), so events are debounced;
// a reload already running queues the next one behind it (Reloader serialises).
import fs from 'node:fs';
import type { HubLogger } from '../ports.js';

export const WATCH_SETTLE_MS = 500;

/** Starts watching `dir` (recursively: config/devices/ too); returns the function that stops it. */
export function watchConfig(dir: string, reload: () => Promise<unknown>, log: Pick<HubLogger, 'info' | 'warn'>, settleMs = WATCH_SETTLE_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: fs.FSWatcher;
  try {
    watcher = fs.watch(dir, { recursive: true }, (_event, file) => {
      // Editor swap/backup files are not config.
      if (file && !/\.ya?ml$/i.test(String(file))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        reload().catch((err) => log.warn({ err }, 'config watch: reload failed'));
      }, settleMs);
    });
  } catch (err) {
    log.warn({ err, dir }, 'config watch could not start; reload with SIGHUP or POST /api/config/reload');
    return () => {};
  }
  watcher.on('error', (err) => log.warn({ err, dir }, 'config watch failed'));
  log.info({ dir }, 'watching the config folder: changes apply live');
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
