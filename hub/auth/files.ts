// Private runtime files. The data folder holds the alarm journal, the audit log, the history spool,
// the control database (priority arrays) and the sessions: none of it is for other local users.
// - umask 077 for the hub process, so every file any module creates (SQLite's -wal/-shm too, which
//   no open() call of ours controls) is 0600 and every folder 0700;
// - the data folder itself 0700, and files left 0644 by an older hub tightened once at start.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_UMASK = 0o077;

/** Sets the process umask to 077 (a no-op where the platform or a worker thread cannot). */
export function usePrivateUmask(): void {
  try {
    process.umask(PRIVATE_UMASK);
  } catch {
    // Worker threads cannot change the umask; the chmod pass below still covers the folder.
  }
}

/**
 * Creates `dataDir` 0700 and removes group/other bits from everything already inside it
 * (bounded depth and count: it runs at every start). Returns how many entries it tightened.
 */
export function hardenDataDir(dataDir: string, limits = { depth: 4, entries: 20_000 }): number {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let changed = 0;
  let seen = 0;
  const tighten = (p: string, st: fs.Stats) => {
    if ((st.mode & 0o077) === 0) return;
    try {
      fs.chmodSync(p, st.mode & 0o700);
      changed++;
    } catch {
      // not ours (another user's file in a shared folder): leave it, the folder is 0700 anyway
    }
  };
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > limits.entries) return;
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink()) continue;
      try {
        tighten(p, fs.statSync(p));
      } catch {
        continue;
      }
      if (e.isDirectory() && depth < limits.depth) walk(p, depth + 1);
    }
  };
  tighten(dataDir, fs.statSync(dataDir));
  walk(dataDir, 0);
  return changed;
}
