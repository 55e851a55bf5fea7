// The report archive in the data dir: `<dataDir>/reports/<id>.pdf` plus `index.json` (newest first)
// and `state.json` (when each schedule last ran). Oldest reports beyond `keep` are deleted.
import fs from 'node:fs';
import path from 'node:path';
import type { ReportEntry } from '../../contracts/reports.js';

export class ReportArchive {
  readonly dir: string;
  private entries: ReportEntry[] = [];
  private state: Record<string, number> = {};

  constructor(dataDir: string, private keep: number) {
    this.dir = path.join(dataDir, 'reports');
    fs.mkdirSync(this.dir, { recursive: true });
    this.entries = readJson<ReportEntry[]>(path.join(this.dir, 'index.json'), []);
    this.state = readJson<Record<string, number>>(path.join(this.dir, 'state.json'), {});
  }

  /** A live config reload changed `keep`: applies at the next report archived. */
  setKeep(keep: number): void {
    this.keep = keep;
  }

  list(): ReportEntry[] {
    return [...this.entries];
  }

  get(id: string): ReportEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** Absolute path of a report's PDF (ids are generated, never taken from a request unchecked). */
  pdfPath(id: string): string {
    if (!/^[0-9a-z-]+$/.test(id)) throw new Error(`bad report id "${id}"`);
    return path.join(this.dir, `${id}.pdf`);
  }

  add(entry: ReportEntry, pdf: Uint8Array): void {
    writeAtomic(this.pdfPath(entry.id), pdf);
    this.entries.unshift(entry);
    for (const old of this.entries.splice(this.keep)) fs.rmSync(this.pdfPath(old.id), { force: true });
    writeAtomic(path.join(this.dir, 'index.json'), JSON.stringify(this.entries, null, 1));
  }

  lastRun(scheduleId: string): number | undefined {
    return this.state[scheduleId];
  }

  setLastRun(scheduleId: string, ts: number): void {
    this.state[scheduleId] = ts;
    writeAtomic(path.join(this.dir, 'state.json'), JSON.stringify(this.state));
  }
}

function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
