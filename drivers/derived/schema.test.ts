import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { connectionSchema, deviceSchema, sourceSchema } from './schema.js';

interface SampleDoc {
  connections: Array<{ options: unknown }>;
  devices: Array<{ options?: unknown; points: Array<{ source: unknown }> }>;
}

describe('derived schemas', () => {
  it('sample.yaml passes them', () => {
    const doc = parse(readFileSync(new URL('./sample.yaml', import.meta.url), 'utf8')) as SampleDoc;
    for (const c of doc.connections) expect(connectionSchema.safeParse(c.options).success).toBe(true);
    for (const d of doc.devices) {
      expect(deviceSchema.safeParse(d.options ?? {}).success).toBe(true);
      for (const p of d.points) expect(sourceSchema.safeParse(p.source).error).toBeUndefined();
    }
  });

  it.each([
    [{ signal: 'lamp-fault', of: 'hq/a/b1/weak-b104/lighting-b1/parking-a' }, null],
    [{ signal: 'lamp-fault' }, 'of'],
    [{ signal: 'Lamp Fault', of: 'hq/a/b1/weak-b104/lighting-b1/parking-a' }, 'signal'],
    [{ signal: 'lamp-fault', of: 'parking-a' }, 'of'],
    [{ signal: 'lamp-fault', of: 'hq/a/b1/weak-b104/lighting-b1/parking-a', extra: 1 }, ''],
  ])('source %j → problem at %s', (source, at) => {
    const r = sourceSchema.safeParse(source);
    if (at === null) expect(r.success).toBe(true);
    else expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(at);
  });

  it('defaults and bounds the heartbeat', () => {
    expect(connectionSchema.parse({})).toEqual({ heartbeatMs: 10_000 });
    expect(connectionSchema.safeParse({ heartbeatMs: 50 }).error?.issues[0].message).toBe('must be ≥ 200 ms');
    expect(connectionSchema.safeParse({ host: 'x' }).success).toBe(false);
  });
});
