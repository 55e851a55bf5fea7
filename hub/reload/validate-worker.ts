// Worker thread of the live reload: validating a whole config folder (YAML parsing, zod, every
// cross-check) and diffing it against the running config takes hundreds of milliseconds for a
// few thousand points — on the main thread that would stall ingest and live push. Here it runs
// beside them. The worker keeps the running snapshot, so each reload sends only a request and
// receives the diff plus the parts of the new config that changed.
import { parentPort, workerData } from 'node:worker_threads';
import type { BoundPoint } from '../../contracts/driver.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import type { LoadedConfig } from '../config/types.js';
import { diffConfig, type ConfigDiff, type SiteSnapshot } from './diff.js';
import { readSections } from './sections.js';

export interface WorkerInit {
  /** The config the hub runs, without points (sent as `points`). */
  config: Omit<LoadedConfig, 'points'>;
  points: BoundPoint[];
  sections: Array<[string, unknown]>;
  /** Module exporting `validate(dir): LoadedConfig`; default hub/config/validate.ts's validateConfigFolder. */
  validateModule?: string;
}

/** The new config, minus the point list: the hub rebuilds it from its own points, `changed` and `order`. */
export type WorkerReply =
  | { id: number; ok: true; diff: ConfigDiff; next: Omit<LoadedConfig, 'points'>; order: string[]; changed: BoundPoint[]; sections: Array<[string, unknown]> }
  | { id: number; ok: false; problems: string[] };

export type WorkerRequest = { id: number; type: 'reload'; dir: string } | { id: number; type: 'commit' };

const init = workerData as WorkerInit;
let current: SiteSnapshot = { config: { ...init.config, points: init.points } as LoadedConfig, sections: new Map(init.sections) };
let pending: SiteSnapshot | undefined;

async function validator(): Promise<(dir: string) => LoadedConfig> {
  if (init.validateModule) return ((await import(init.validateModule)) as { validate(dir: string): LoadedConfig }).validate;
  return (await import('../config/validate.js')).validateConfigFolder;
}
const validate = await validator();

parentPort!.on('message', (req: WorkerRequest) => {
  if (req.type === 'commit') {
    if (pending) current = pending;
    pending = undefined;
    return;
  }
  let reply: WorkerReply;
  try {
    const next = validate(req.dir);
    const sections = readSections(req.dir);
    const snap: SiteSnapshot = { config: next, sections };
    const diff = diffConfig(current, snap);
    const touched = new Set([...diff.points.added, ...diff.points.changed]);
    // Floor plans travel with the rest (plain data): the floorplans module serves the new ones.
    const { points, ...rest } = next;
    pending = snap;
    reply = { id: req.id, ok: true, diff, next: rest, order: points.map((p) => p.info.id), changed: points.filter((p) => touched.has(p.info.id)), sections: [...sections] };
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems.map(formatProblem) : [`${req.dir}: ${err instanceof Error ? err.message : String(err)}`];
    reply = { id: req.id, ok: false, problems };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
// Warm the loader's parse cache (hub/config/read.ts) with the running folder, so the first reload
// parses only the files that changed. Its result is not used; a request waits at most this long.
setImmediate(() => {
  try {
    validate(init.config.dir);
  } catch {
    // The folder may already be mid-edit: the reload will say what is wrong.
  }
});
