// A sensor's payload → a point value, or the reason it is not one. Pure: table-tested, and the
// driver turns an error into a `bad` sample naming it, so garbage never crashes anything.
import type { PointInfo, PointValue } from '../../contracts/point.js';
import type { MqttSource } from './schema.js';

export type Extracted = { ok: true; value: PointValue } | { ok: false; error: string };

/** The keys/indexes of a JSON path (`$.a.b[0]` → ['a', 'b', 0]). */
export function pathSteps(path: string): Array<string | number> {
  const body = path.replace(/^\$\.?/, '');
  const steps: Array<string | number> = [];
  for (const m of body.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) steps.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return steps;
}

function at(doc: unknown, steps: Array<string | number>): { found: true; value: unknown } | { found: false; where: string } {
  let cur: unknown = doc;
  const done: string[] = [];
  for (const s of steps) {
    if (typeof s === 'number' ? !Array.isArray(cur) || s >= cur.length : cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, s)) {
      return { found: false, where: done.length ? done.join('') : '(root)' };
    }
    cur = (cur as Record<string | number, unknown>)[s];
    done.push(typeof s === 'number' ? `[${s}]` : (done.length ? '.' : '') + s);
  }
  return { found: true, value: cur };
}

const show = (v: unknown) => {
  const t = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
};

function toKind(raw: unknown, info: Pick<PointInfo, 'kind' | 'states'>, source: Pick<MqttSource, 'scale' | 'offset' | 'trueValues' | 'falseValues'>): Extracted {
  switch (info.kind) {
    case 'analog':
    case 'multistate': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
      if (!Number.isFinite(n)) return { ok: false, error: `value ${show(raw)} is not a number` };
      const v = n * (source.scale ?? 1) + (source.offset ?? 0);
      if (info.kind === 'multistate') {
        if (!Number.isInteger(v)) return { ok: false, error: `value ${show(raw)} is not an integer state` };
        if (info.states && !Object.hasOwn(info.states, String(v))) return { ok: false, error: `value ${v} is not a configured state` };
      }
      return { ok: true, value: v };
    }
    case 'binary': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 1 || raw === 0) return { ok: true, value: raw === 1 };
      if (typeof raw === 'string') {
        const t = raw.trim().toLowerCase();
        const trues = ['true', '1', ...(source.trueValues ?? []).map((x) => x.toLowerCase())];
        const falses = ['false', '0', ...(source.falseValues ?? []).map((x) => x.toLowerCase())];
        if (trues.includes(t)) return { ok: true, value: true };
        if (falses.includes(t)) return { ok: true, value: false };
      }
      return { ok: false, error: `value ${show(raw)} is not true/false` };
    }
    case 'string':
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { ok: true, value: String(raw) };
      return { ok: false, error: `value ${show(raw)} is not text` };
  }
}

/** Largest payload looked at; beyond it the sample is bad (a sensor does not send megabytes). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export function extractValue(payload: Uint8Array, source: MqttSource, info: Pick<PointInfo, 'kind' | 'states'>): Extracted {
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return { ok: false, error: `payload of ${payload.byteLength} bytes is larger than ${MAX_PAYLOAD_BYTES}` };
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  if (source.format === 'text') return toKind(text, info, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, error: `payload is not JSON: ${show(text)}` };
  }
  if (source.path === undefined) return toKind(doc, info, source);
  const r = at(doc, pathSteps(source.path));
  if (!r.found) return { ok: false, error: `path ${source.path} not found in the payload (missing after ${r.where})` };
  return toKind(r.value, info, source);
}

/** The payload a write sends. */
export function writePayload(value: PointValue, source: Pick<MqttSource, 'writeFormat' | 'path'>): string {
  if (source.writeFormat === 'json') {
    const steps = source.path ? pathSteps(source.path) : [];
    const key = [...steps].reverse().find((s): s is string => typeof s === 'string') ?? 'value';
    return JSON.stringify({ [key]: value });
  }
  return String(value);
}
