// The reload's result types, in a leaf module: hub/module.ts names them, so this file must not
// import anything that imports module.ts (that would be an import circle).
import type { ConfigDiff } from './diff.js';

export type ReloadTrigger = 'api' | 'sighup' | 'watch' | 'rule-edit';

export type ReloadResult =
  | {
      ok: true; version: number; summary: string; diff: ConfigDiff;
      /** Wall time of the whole reload; `applyMs`: the part on the main thread (stopping/starting drivers, state, modules). */
      ms: number; applyMs: number;
      stopped: string[]; started: string[]; needsRestart: string[];
    }
  | { ok: false; problems: string[] };
