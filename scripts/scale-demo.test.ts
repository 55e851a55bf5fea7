// `npm run scale-demo`: the argument rules, and one real start (--once: Mosquitto, Redis, 2 hubs,
// edge agents, nginx; sign-in and live edge points through nginx; then everything stopped).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseScaleDemoArgs } from './scale-demo.js';

describe('scale-demo arguments', () => {
  it.each([
    [[], { buildings: 4, points: 500, once: false }],
    [['--buildings', '2', '--points', '50', '--once'], { buildings: 2, points: 50, once: true }],
  ])('%j', (argv, want) => expect(parseScaleDemoArgs(argv)).toEqual(want));
  it.each([
    [['--buildings', '0'], /--buildings must be a whole number from 1 to 50 \(got "0"\)/],
    [['--points', 'x'], /--points must be a whole number/],
    [['--bogus'], /unknown argument "--bogus"/],
  ])('%j is refused', (argv, err) => expect(() => parseScaleDemoArgs(argv)).toThrow(err));
});

describe('scale-demo --once', () => {
  it('starts the estate, serves live edge points through nginx, and stops it all', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scale-demo.ts', '--buildings', '2', '--points', '20', '--once'], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, LOG_LEVEL: 'error' } });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/Open http:\/\/127\.0\.0\.1:\d+ {2}\(nginx/);
    expect(r.stdout).toContain('live updates from 2 of 2 edge buildings');
    // Nothing of it keeps running: its temp folder is gone with its servers.
    const left = spawnSync('sh', ['-c', 'ps -eo args | grep -c "[w]f-scale-demo-" || true'], { encoding: 'utf8' });
    expect(left.stdout.trim()).toBe('0');
  }, 180_000);
});
