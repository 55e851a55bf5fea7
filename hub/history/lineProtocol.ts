// Sample → InfluxDB line protocol, in the documented schema (docs/history.md).
// Escaping is the client library's `escape` (as its Point uses); the per-point tag prefix is built once,
// because a hub writes the same few thousand series at 100k samples/s. Floats are written as Point
// writes them, String(n): in line protocol a bare `1` IS a float (integers carry an `i`), and `1e+21`
// is accepted. (The library's exported sanitizeFloat is for Flux — `float(v: "1e+21")` — not for LP.)
import { escape } from '@influxdata/influxdb-client';
import { parsePointId, type PointInfo, type Sample } from '../../contracts/point.js';
import type { LineBuffer } from './lineBuffer.js';

export const MEASUREMENT = 'samples';

/** What the schema needs to know about a point beyond its id. */
export type PointTagSource = Pick<PointInfo, 'id' | 'kind' | 'unit' | 'brick' | 'name'>;

/**
 * Tags of one point's series. Ids segments give the location; names are 1:1 with the point, so
 * they add no cardinality and make Grafana legends readable.
 */
export function pointTags(info: PointTagSource): Record<string, string> {
  const parts = parsePointId(info.id);
  const tags: Record<string, string> = { point: info.id, kind: info.kind };
  if (parts) {
    Object.assign(tags, {
      site: parts.site,
      building: parts.building,
      floor: parts.floor,
      room: parts.room,
      equipment: parts.equipment,
    });
  }
  if (info.brick) tags.brick = info.brick;
  if (info.unit) tags.unit = info.unit;
  if (info.name?.en) tags.name = info.name.en;
  if (info.name?.['zh-CN']) tags.name_zh = info.name['zh-CN'];
  return tags;
}

/**
 * A tag value may not be empty, contain a newline, or end in a backslash (the library would emit
 * `x\` and the backslash would then escape the following comma or space).
 */
function cleanTagValue(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').replace(/\\+$/, '');
}

/** `samples,building=a,…,point=hq/a/…` with tags sorted by key (InfluxDB's own order, cheapest to index). */
export function seriesPrefix(tags: Record<string, string>): string {
  let out = escape.measurement(MEASUREMENT);
  for (const key of Object.keys(tags).sort()) {
    const value = cleanTagValue(tags[key]);
    if (value === '') continue;
    out += `,${escape.tag(key)}=${escape.tag(value)}`;
  }
  return out;
}

/**
 * A string field value. Line protocol has no escape for a newline (InfluxDB's docs: not supported in
 * field values), and the spool and the bisection split batches at newlines, so line breaks become spaces.
 */
function quotedField(text: string): string {
  return escape.quoted(/[\r\n]/.test(text) ? text.replace(/\r\n|[\r\n]/g, ' ') : text);
}

/**
 * Field set of one sample. Each field has exactly one type for every point, so no write can ever
 * hit a field type conflict: `value` float (numbers; booleans as 0/1), `value_bool` boolean,
 * `value_str` string, `quality` string, `detail` string, `source_ts` integer (ms).
 */
export function sampleFields(sample: Sample): string {
  const fields: string[] = [];
  const v = sample.value;
  let detail = sample.detail;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) fields.push(`value=${String(v)}`);
    else detail = detail ? `${detail}; non-finite value ${v}` : `non-finite value ${v}`;
  } else if (typeof v === 'boolean') {
    fields.push(`value=${v ? 1 : 0}`, `value_bool=${v ? 'true' : 'false'}`);
  } else if (typeof v === 'string') {
    fields.push(`value_str=${quotedField(v)}`);
  }
  fields.push(`quality=${escape.quoted(sample.quality)}`);
  if (detail) fields.push(`detail=${quotedField(detail)}`);
  if (sample.sourceTs !== undefined && Number.isSafeInteger(Math.round(sample.sourceTs))) {
    fields.push(`source_ts=${Math.round(sample.sourceTs)}i`);
  }
  return fields.join(',');
}

/**
 * Builds lines for samples, caching each point's series key. Points missing from the config still
 * get written (tags from the id alone): nothing accepted is dropped.
 */
/** `,quality="good" ` etc.: the rest of a plain numeric sample's fields, before its timestamp. */
const QUALITY_TAIL = new Map<string, Buffer>(
  ['good', 'uncertain', 'bad', 'comm_fail', 'stale'].map((q) => [q, Buffer.from(`,quality=${escape.quoted(q)} `)]),
);

/**
 * A series' `<series key> value=` bytes, and the head of the sample that followed it last time: drivers
 * publish their points in the same order every cycle, so the next head is found without a lookup in a
 * map of every point (its cache misses were most of the time: 555 → 175 ns per sample at 200k points).
 */
interface Head {
  id: string;
  bytes: Buffer;
  next: Head | undefined;
}

const GOOD_TAIL = QUALITY_TAIL.get('good')!;

const VALUE_EQ = ' value='.length;

/**
 * Memory per point matters at 100k+ points (docs/performance.md): the encoder keeps a reference to each
 * point's description, builds its series key on first use, and then keeps one Buffer per series,
 * `<series key> value=` — the plain numeric sample's start; the other samples use its first part.
 */
export class LineEncoder {
  private readonly sources = new Map<string, PointTagSource>();
  /** Series keys as strings, only for the string path (`encode`). */
  private readonly prefixes = new Map<string, string>();
  private readonly heads = new Map<string, Head>();
  /** The head of the sample encoded last: its `next` is the likely head of the coming sample. */
  private last: Head | undefined;
  private lastTs = NaN;
  private lastTsBytes: Buffer = Buffer.alloc(0);

  constructor(points: Iterable<PointTagSource> = []) {
    for (const p of points) this.sources.set(p.id, p);
  }

  private buildPrefix(pointId: string): string {
    const known = this.sources.get(pointId);
    if (known) return seriesPrefix(pointTags(known));
    const tags = pointTags({ id: pointId, kind: 'analog', name: { en: '', 'zh-CN': '' } });
    delete tags.kind; // unknown: do not claim a kind
    return seriesPrefix(tags);
  }

  prefixOf(pointId: string): string {
    let prefix = this.prefixes.get(pointId);
    if (prefix === undefined) {
      prefix = this.buildPrefix(pointId);
      this.prefixes.set(pointId, prefix);
    }
    return prefix;
  }

  /** One line; the time is when the hub read the sample (ms), `sourceTs` is kept as a field. */
  encode(sample: Sample): string {
    return `${this.prefixOf(sample.pointId)} ${sampleFields(sample)} ${Math.round(sample.readTs)}`;
  }

  /**
   * The same line as `encode`, appended as bytes. The series key is copied from a cached Buffer, and a
   * plain numeric sample (the bulk of the traffic) writes only its number, a cached quality tail and
   * its timestamp; anything else goes through `sampleFields`.
   */
  encodeInto(out: LineBuffer, sample: Sample): void {
    const guess = this.last?.next;
    const h = guess !== undefined && guess.id === sample.pointId ? guess : (this.heads.get(sample.pointId) ?? this.headOf(sample.pointId));
    if (this.last !== undefined && guess !== h) this.last.next = h;
    this.last = h;
    const head = h.bytes;
    const v = sample.value;
    const tail =
      typeof v === 'number' && Number.isFinite(v) && !sample.detail && sample.sourceTs === undefined
        ? sample.quality === 'good'
          ? GOOD_TAIL
          : QUALITY_TAIL.get(sample.quality)
        : undefined;
    if (tail) {
      out.writeBytes(head);
      out.writeNumber(v as number);
      out.writeShort(tail);
    } else {
      out.writeBytes(head.subarray(0, head.length - VALUE_EQ + 1)); // `<series key> `
      out.writeUtf8(sampleFields(sample));
      out.writeAscii(' ');
    }
    // One answer's samples share their read time: its digits are made once, not per sample.
    const ts = Math.round(sample.readTs);
    if (ts !== this.lastTs) {
      this.lastTs = ts;
      this.lastTsBytes = Buffer.from(String(ts), 'latin1');
    }
    out.writeShort(this.lastTsBytes);
    out.endLine();
  }

  private headOf(pointId: string): Head {
    const head: Head = { id: pointId, bytes: Buffer.from(`${this.prefixes.get(pointId) ?? this.buildPrefix(pointId)} value=`), next: undefined };
    this.heads.set(pointId, head);
    return head;
  }
}

/** The timestamp (ms) at the end of a line we wrote, or null for a torn/foreign line. */
export function lineTimestamp(line: string): number | null {
  const i = line.lastIndexOf(' ');
  if (i < 0) return null;
  const ts = Number(line.slice(i + 1));
  return Number.isSafeInteger(ts) ? ts : null;
}
