// Complete line-protocol lines in one growable byte buffer: exactly the bytes POST /write sends and the
// spool stores. Building bytes directly (series key copied from a cached Buffer, numbers written by hand)
// instead of one string per line and a join per batch cuts the hub's per-sample cost by ~3× and most of
// its garbage (see docs/history.md, "Performance").

const NEWLINE = 0x0a;

/** A sealed batch: `lines` complete lines, each ending in `\n`. */
export interface LineBatch {
  body: Buffer;
  lines: number;
  /** The write-ahead file holding these lines until they are in InfluxDB or the spool. */
  walId?: number;
}

export class LineBuffer {
  private buf: Buffer;
  private used = 0;
  private count = 0;

  constructor(private capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get bytes(): number {
    return this.used;
  }

  get lines(): number {
    return this.count;
  }

  /** Appends raw bytes (e.g. a cached, already escaped series key). */
  writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Appends text known to be ASCII (numbers, our own field names): a plain loop beats a native call for short text. */
  writeAscii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.used;
    if (n > 64) at += buf.write(text, at, 'latin1');
    else for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.used = at;
  }

  /**
   * Appends a number as `String(n)` would, without making the string for integers below 2^31 (register
   * values, the bulk of a polled site's samples).
   */
  writeNumber(n: number): void {
    if ((n | 0) !== n) return this.writeAscii(String(n)); // -0 passes: String(-0) is "0" too
    this.reserve(11);
    const buf = this.buf;
    let at = this.used;
    let u = n;
    if (u < 0) {
      buf[at++] = 0x2d;
      u = -u;
    }
    let digits = 1;
    for (let t = u; t >= 10; t = Math.floor(t / 10)) digits++;
    at += digits;
    for (let i = at - 1; i >= at - digits; i--) {
      buf[i] = 0x30 + (u % 10);
      u = Math.floor(u / 10);
    }
    this.used = at;
  }

  /** Appends a few bytes (a timestamp, a quality tail): a plain loop beats a native copy this short. */
  writeShort(bytes: Uint8Array): void {
    const n = bytes.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < n; i++) buf[at++] = bytes[i];
    this.used = at;
  }

  /** Appends any text as UTF-8. */
  writeUtf8(text: string): void {
    this.reserve(text.length * 3);
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  /** Ends the current line. */
  endLine(): void {
    this.reserve(1);
    this.buf[this.used++] = NEWLINE;
    this.count++;
  }

  /** The bytes written from offset `from` on (a view, valid until the next write or take). */
  view(from: number): Uint8Array {
    return this.buf.subarray(Math.min(from, this.used), this.used);
  }

  /** Where the next line starts; `rollback(mark)` drops a line that failed half-written. */
  mark(): number {
    return this.used;
  }

  rollback(mark: number): void {
    this.used = Math.min(this.used, mark);
  }

  /** A whole line given as text (must not contain a newline). */
  writeLine(line: string): void {
    this.writeUtf8(line);
    this.endLine();
  }

  /** Hands out the lines written so far and starts empty, sized for a batch like this one. */
  take(): LineBatch {
    const used = this.used;
    // A mostly empty buffer is copied out so a small batch does not pin a large allocation while queued.
    const body = used * 2 < this.buf.length ? Buffer.from(this.buf.subarray(0, used)) : this.buf.subarray(0, used);
    const batch = { body, lines: this.count };
    if (body.buffer === this.buf.buffer) {
      this.capacity = Math.max(this.capacity, used + (used >> 3));
      this.buf = Buffer.allocUnsafe(this.capacity);
    }
    this.used = 0;
    this.count = 0;
    return batch;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + n));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

/** Byte offsets just past each `\n` of `body` (the end of every line). */
export function lineEnds(body: Uint8Array): number[] {
  const ends: number[] = [];
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  for (let at = buf.indexOf(NEWLINE); at >= 0; at = buf.indexOf(NEWLINE, at + 1)) ends.push(at + 1);
  return ends;
}

/** Splits a batch into at most `parts` contiguous batches of about equal line counts (no copying). */
export function splitBatch(batch: LineBatch, parts: number): LineBatch[] {
  if (parts <= 1 || batch.lines <= 1) return [batch];
  const ends = lineEnds(batch.body);
  const n = Math.min(parts, ends.length);
  const out: LineBatch[] = [];
  let startLine = 0;
  for (let p = 1; p <= n; p++) {
    const endLine = Math.round((ends.length * p) / n);
    if (endLine === startLine) continue;
    const from = startLine === 0 ? 0 : ends[startLine - 1];
    out.push({ body: batch.body.subarray(from, ends[endLine - 1]), lines: endLine - startLine });
    startLine = endLine;
  }
  return out;
}

/** The lines of a batch as text, without their newlines (for dead letters and tests). */
export function batchLines(body: Uint8Array): string[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const out: string[] = [];
  let start = 0;
  for (const end of lineEnds(buf)) {
    if (end - 1 > start) out.push(buf.toString('utf8', start, end - 1));
    start = end;
  }
  if (start < buf.length) out.push(buf.toString('utf8', start));
  return out;
}

/** Smallest and largest line timestamp (the digits after the last space of each line), or null when none parse. */
export function batchTimeRange(body: Uint8Array): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  let start = 0;
  for (const end of lineEnds(body)) {
    let i = end - 2;
    let ts = 0;
    let scale = 1;
    while (i >= start && body[i] >= 0x30 && body[i] <= 0x39) {
      ts += (body[i] - 0x30) * scale;
      scale *= 10;
      i--;
    }
    const negative = i >= start && body[i] === 0x2d;
    if (negative) i--;
    if (scale > 1 && i >= start && body[i] === 0x20) {
      const value = negative ? -ts : ts;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    start = end;
  }
  return Number.isFinite(min) ? { min, max } : null;
}
