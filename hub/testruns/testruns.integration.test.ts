// The shipped alarm-path suite (testruns/*.yaml) against a real hub and real simulators on free
// ports: what `npm run testrun -- testruns` does, minus the screenshots. Also the safety rails:
// a non-simulated connection is refused, and a disabled site refuses everything.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../scripts/testrun-stack.js';
import { renderJunit, type SuiteResult } from './report.js';
import { runSuite } from './runner.js';
import { parseSuite } from './suite.js';

const DIR = path.resolve(import.meta.dirname, '../../testruns');
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

async function token(user: string): Promise<string> {
  const res = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: `${user}-demo` }) });
  return ((await res.json()) as { token: string }).token;
}

describe('test runs against the demo', () => {
  it('refuses a fault on a connection that is not simulated, and a viewer', async () => {
    const t = await token('admin');
    // The cameras point at port 9 (not the simulators): not drivable.
    const res = await fetch(`${stack.url}/api/testruns/faults`, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'dead-camera', camera: 'cam-archive' }) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_simulated');
    const bad = await fetch(`${stack.url}/api/testruns/faults`, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'step', point: 'hq/a/b1/pump-b101/leak-1/battery' }) });
    expect(bad.status).toBe(400); // the simulators: step needs a value
    const v = await token('viewer');
    const denied = await fetch(`${stack.url}/api/testruns/status`, { headers: { authorization: `Bearer ${v}` } });
    expect(denied.status).toBe(403);
  }, 60_000);

  it('walks every alarm path of the shipped suite', async () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    const suites = files.map((f) => ({ file: f, suite: parseSuite(fs.readFileSync(path.join(DIR, f), 'utf8'), f) }));
    const sessions = new Map<string, Promise<string>>();
    const opts = { hub: stack.url, password: (u: string) => `${u}-demo`, sessions };
    const results: SuiteResult[] = await Promise.all(suites.filter((s) => !s.suite.exclusive).map((s) => runSuite(s.suite, s.file, opts)));
    for (const s of suites.filter((x) => x.suite.exclusive)) results.push(await runSuite(s.suite, s.file, opts));
    const failures = results.flatMap((r) => [...(r.error ? [`${r.name}: ${r.error}`] : []), ...r.cases.filter((c) => !c.ok).map((c) => `${r.name}: ${c.name}: ${c.detail}`)]);
    expect(failures).toEqual([]);
    // Every rule of config/alarms.yaml that can be exercised in CI is expected somewhere.
    const rules = [...fs.readFileSync(path.resolve(DIR, '../config/alarms.yaml'), 'utf8').matchAll(/^\s*- \{? ?id: ([a-z0-9-]+)/gm)].map((m) => m[1]);
    const expected = new Set(results.flatMap((r) => r.cases.map((c) => c.name.replace(/^[^:]*: /, '').split(' ')[1])));
    const uncovered = rules.filter((id) => !expected.has(id) && !expected.has(`${id}.h`) && !expected.has(`${id}.hh`));
    expect(uncovered.sort()).toEqual(['night-flow-leak-water-main', 'office-201-temp-deviation']);
    expect(renderJunit(results)).toContain('failures="0"');
  }, 360_000);
});
