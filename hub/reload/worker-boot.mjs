// Starts a TypeScript worker thread: Node's Worker cannot load .ts itself (and `--import tsx` in
// execArgv does not reach a worker's entry on Node 20), so this plain module registers tsx's
// loader in the worker, then imports the real entry named in workerData.__entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
