// Turns answers to read requests into samples: one per point of the request, every cycle.
import type { Quality, Sample } from '../../contracts/point.js';
import { decodeAt, sameBytes } from './decode.js';
import type { ReadRequest } from './plan.js';
import type { RuntimePoint } from './runtime.js';
import type { ResolvedSource } from './schema.js';

/**
 * Per read request, resolved once: its points' ids, sources and byte offsets, and the last answer
 * with the values decoded from it, so a point whose registers did not change is not decoded again.
 */
interface RequestCache {
  ids: string[];
  srcs: ResolvedSource[];
  /** Byte offset and byte length of each point inside the answer. */
  at: number[];
  len: number[];
  prev: Buffer | undefined;
  values: Array<number | boolean | string>;
}

export class AnswerDecoder {
  private readonly caches = new Map<ReadRequest, RequestCache>();

  constructor(private readonly points: ReadonlyMap<string, RuntimePoint>) {}

  /** A request left the plan (split into per-point reads): its cache goes with it. */
  forget(req: ReadRequest): void {
    this.caches.delete(req);
  }

  /**
   * Registers are decoded straight from the answer's bytes (decodeAt), and only where they differ from
   * the previous answer: an unchanged point reuses its value. Every point still gets its sample (the
   * hub's history and staleness expect one per cycle).
   */
  decodeInto(samples: Sample[], req: ReadRequest, data: Buffer | boolean[]): void {
    const readTs = Date.now();
    if (!Buffer.isBuffer(data)) {
      for (const pp of req.points) samples.push({ pointId: pp.pointId, value: data[pp.offset] === true, quality: 'good', readTs });
      return;
    }
    const c = this.cacheOf(req);
    const prev = c.prev !== undefined && c.prev.length === data.length ? c.prev : undefined;
    for (let k = 0; k < c.ids.length; k++) {
      let value: number | boolean | string;
      if (prev !== undefined && sameBytes(prev, data, c.at[k], c.len[k])) value = c.values[k];
      else value = c.values[k] = decodeAt(data, c.at[k], c.srcs[k]);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        samples.push({ pointId: c.ids[k], value: null, quality: 'bad', detail: `device sent ${value} (float32)`, readTs });
      } else {
        samples.push({ pointId: c.ids[k], value, quality: 'good', readTs });
      }
    }
    // The answer is a view into the socket's chunk: keep a copy in a buffer of our own, reused.
    if (prev === undefined) c.prev = Buffer.allocUnsafe(data.length);
    data.copy(c.prev!);
  }

  private cacheOf(req: ReadRequest): RequestCache {
    let c = this.caches.get(req);
    if (c) return c;
    const n = req.points.length;
    c = { ids: new Array(n), srcs: new Array(n), at: new Array(n), len: new Array(n), prev: undefined, values: new Array(n) };
    for (let k = 0; k < n; k++) {
      const pp = req.points[k];
      c.ids[k] = pp.pointId;
      c.srcs[k] = this.points.get(pp.pointId)!.src;
      c.at[k] = pp.offset * 2;
      c.len[k] = pp.width * 2;
    }
    this.caches.set(req, c);
    return c;
  }
}

/** A sample without a value for every point of a request that got no usable answer. */
export function failAll(samples: Sample[], req: ReadRequest, quality: Quality, detail: string): void {
  const readTs = Date.now();
  for (const pp of req.points) samples.push({ pointId: pp.pointId, value: null, quality, detail, readTs });
}
