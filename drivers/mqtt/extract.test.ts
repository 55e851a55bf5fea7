// Payload → value, table-driven from cases/extract.json: every way a sensor's payload can be
// wrong gives an error naming it (the driver publishes it as a `bad` sample), never a throw.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PointKind } from '../../contracts/point.js';
import { extractValue, pathSteps, writePayload } from './extract.js';
import { sourceSchema } from './schema.js';

interface Case { name: string; kind: PointKind; states?: string[]; source: unknown; payload: string; value?: unknown; error?: string }
const CASES = JSON.parse(readFileSync(new URL('./cases/extract.json', import.meta.url), 'utf8')) as Case[];
const info = (c: Case) => ({ kind: c.kind, states: c.states ? Object.fromEntries(c.states.map((s) => [s, { en: s, 'zh-CN': s }])) : undefined });

describe('extractValue', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = extractValue(Buffer.from(c.payload), sourceSchema.parse(c.source), info(c));
      if (c.error !== undefined) {
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.error).toContain(c.error);
      } else {
        expect(r).toEqual({ ok: true, value: c.value });
      }
    });
  }

  it('never throws on arbitrary bytes, for any kind', () => {
    const source = sourceSchema.parse({ topic: 't', path: 'a.b[0]' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom<PointKind>('analog', 'binary', 'multistate', 'string'), (bytes, kind) => {
        const r = extractValue(bytes, source, { kind });
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('refuses an oversized payload without parsing it', () => {
    const r = extractValue(Buffer.alloc(300 * 1024, 0x20), sourceSchema.parse({ topic: 't' }), { kind: 'analog' });
    expect(r.ok ? '' : r.error).toMatch(/larger than/);
  });
});

describe('pathSteps and writePayload', () => {
  it.each([
    ['a', ['a']],
    ['$.a.b', ['a', 'b']],
    ['s[2].v', ['s', 2, 'v']],
    ['[0]', [0]],
  ])('%s', (path, steps) => expect(pathSteps(path)).toEqual(steps));

  it('writes text or a JSON object keyed by the last path key', () => {
    expect(writePayload(true, { writeFormat: 'text' })).toBe('true');
    expect(writePayload(21.5, { writeFormat: 'json', path: 'env.setpoint' })).toBe('{"setpoint":21.5}');
    expect(writePayload(1, { writeFormat: 'json' })).toBe('{"value":1}');
  });
});
