// Lines InfluxDB will never accept (type conflict, bad name): kept with the reason, counted, never retried.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DeadLetterEntry {
  /** When it was dead-lettered (ms). */
  ts: number;
  status: number;
  reason: string;
  line: string;
}

export class DeadLetterFile {
  private total = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) this.total = readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
  }

  /** Entries in the file, including those of earlier runs. */
  get count(): number {
    return this.total;
  }

  add(lines: string[], status: number, reason: string): void {
    if (lines.length === 0) return;
    const ts = Date.now();
    const text = lines.map((line) => JSON.stringify({ ts, status, reason, line } satisfies DeadLetterEntry)).join('\n') + '\n';
    appendFileSync(this.path, text, { flush: true });
    this.total += lines.length;
  }

  read(): DeadLetterEntry[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DeadLetterEntry);
  }
}
