import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseDuration, parseSuite } from './suite.js';

const ok = `name: t1
description: d
steps:
  - inject: { kind: leak, point: hq/a/b1/pump-b101/leak-1/leak }
    name: wet
  - expect: { alarm: { id: leak-pump-b101, priority: critical } }
    within: 10s
  - clear: wet
`;

describe('parseSuite', () => {
  it('accepts a valid suite with defaults', () => {
    const s = parseSuite(ok, 'f.yaml');
    expect(s.user).toBe('admin');
    expect(s.exclusive).toBe(false);
    expect(s.steps[1]).toMatchObject({ within: 10_000, expect: [{ alarm: { id: 'leak-pump-b101', priority: 'critical', test: true } }] });
  });

  it.each([
    ['not yaml', 'name: [', /f\.yaml: not YAML/],
    ['bad name', ok.replace('name: t1', 'name: T 1'), /name: must be lower-case/],
    ['bad duration', ok.replace('within: 10s', 'within: 10 sec'), /steps\[1\]\.within: duration "10 sec" is not like/],
    ['unknown fault kind', ok.replace('kind: leak', 'kind: flood'), /steps\[0\]\.inject\.kind/],
    ['bad point id', ok.replace('point: hq/a/b1/pump-b101/leak-1/leak', 'point: leak'), /steps\[0\]\.inject\.point: must be a point id/],
    ['bad priority', ok.replace('priority: critical', 'priority: urgent'), /steps\[1\]\.expect/],
    ['clear of an unknown inject', ok.replace('clear: wet', 'clear: dry'), /steps\[2\]\.clear: no earlier inject named "dry"/],
    ['act with two actions', ok.replace('  - clear: wet\n', '  - act: { ack: x, release: hq/a/b1/r/e/p }\n'), /exactly one of ack, write/],
    ['screenshot route', ok.replace('  - clear: wet\n', '  - screenshot: { route: alarms, name: a }\n'), /route: must be a console route/],
    ['no steps', 'name: t\ndescription: d\nsteps: []\n', /steps: /],
  ])('%s → a clear error', (_what, text, re) => {
    expect(() => parseSuite(text, 'f.yaml')).toThrow(re);
  });

  it('parses every shipped suite', () => {
    const dir = path.resolve(import.meta.dirname, '../../testruns');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) expect(parseSuite(fs.readFileSync(path.join(dir, f), 'utf8'), f).steps.length).toBeGreaterThan(0);
  });
});

describe('parseDuration', () => {
  it.each([['500ms', 500], ['30s', 30_000], ['1.5m', 90_000], ['2h', 7_200_000], [3, 3000]] as const)('%s → %d ms', (v, ms) => {
    expect(parseDuration(v)).toBe(ms);
  });
  it.each(['5 sec', '-1s', 'soon'])('%s is refused', (v) => {
    expect(() => parseDuration(v)).toThrow(/duration/);
  });
});
