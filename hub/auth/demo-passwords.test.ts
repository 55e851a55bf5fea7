// Demo credentials (issue 11 item 6): kept for `npm start` on loopback; a hub on any other
// address refuses to start while a user still has one; `npm run set-password` replaces them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import { createHub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { DemoPasswordError, isLoopbackHost, usersWithDemoPasswords } from './demo-passwords.js';
import { hashPassword, verifyPassword } from './password.js';
import { passwordProblem, withPassword } from './set-password.js';

const tmp = mkdtempSync(join(tmpdir(), 'wf-demo-pw-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cheap = { N: 1024, r: 8, p: 1 };

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true], ['127.0.0.2', true], ['localhost', true], ['::1', true], ['[::1]', true], ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false], ['::', false], ['', false], ['10.0.3.20', false], ['hub.example.gov', false], ['128.0.0.1', false],
  ])('%s → %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});

describe('usersWithDemoPasswords', () => {
  it('finds every shipped demo login, a demo password hashed again, and not a real one', async () => {
    const shipped = loadConfig(resolve('config')).users;
    // Every login config/users.yaml ships is a demo one (`<username>-demo`).
    const found = await usersWithDemoPasswords(shipped);
    expect(found).toEqual(shipped.map((u) => u.username));
    expect(found).toEqual(expect.arrayContaining(['admin', 'supervisor', 'operator', 'guard', 'energy', 'viewer']));
    const users = [
      { username: 'guard', passwordHash: await hashPassword('guard-demo', cheap) },
      { username: 'ops', passwordHash: await hashPassword('a real passphrase', cheap) },
      { username: 'broken', passwordHash: 'not a hash' },
    ];
    expect(await usersWithDemoPasswords(users)).toEqual(['guard']);
  });
});

describe('a hub off loopback', () => {
  it('refuses to start with the demo users, naming them and the fix; starts on loopback', async () => {
    const config = loadConfig(resolve('config'));
    const demo = testSiteConfig({ floors: 1, pointsPerFloor: 1 });
    demo.users = config.users;
    const start = createHub(demo, { drivers: [], log: silentLogger(), listen: { host: '0.0.0.0', port: 0 } });
    await expect(start).rejects.toBeInstanceOf(DemoPasswordError);
    await expect(start).rejects.toThrow(/refusing to listen on 0\.0\.0\.0: admin, supervisor, operator, guard, energy, viewer.* still have their demo password.*npm run set-password/);
    const local = await createHub(demo, { drivers: [], log: silentLogger(), listen: { host: '127.0.0.1', port: 0 } });
    await local.stop();
    rmSync(demo.hub.dataDir, { recursive: true, force: true });
  });
});

describe('set-password', () => {
  it.each([
    ['guard', 'short', /at least 10/],
    ['guard', 'guard-demo', /at least 10|demo/],
    ['operator', 'operator-demo', /demo/],
    ['guard', 'my-guard-password', /username/],
    ['guard', 'correct horse battery', null],
  ])('%s / %s', (u, pw, expected) => {
    const p = passwordProblem(u, pw);
    if (expected === null) expect(p).toBeNull();
    else expect(p).toMatch(expected);
  });

  it('rewrites only that user\'s hash, keeping comments; names the users when the name is unknown', () => {
    const text = readFileSync(resolve('config/users.yaml'), 'utf8');
    const next = withPassword(text, 'guard', 'scrypt$16384$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==');
    expect(next.split('\n')[0]).toBe(text.split('\n')[0]); // the header comment
    const users = (parse(next) as { users: Array<{ username: string; password: string }> }).users;
    const before = (parse(text) as { users: Array<{ username: string; password: string }> }).users;
    expect(users.map((u) => u.username)).toEqual(before.map((u) => u.username));
    expect(users.find((u) => u.username === 'guard')!.password).toBe('scrypt$16384$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==');
    expect(users.filter((u) => u.username !== 'guard')).toEqual(before.filter((u) => u.username !== 'guard'));
    expect(() => withPassword(text, 'ghost', 'x')).toThrow(/no user ghost in users.yaml \(users: admin, supervisor/);
  });

  it('npm run set-password -- guard (password on stdin) writes a verifiable hash that is no longer a demo one', async () => {
    const dir = join(tmp, 'config');
    execFileSync('mkdir', ['-p', dir]);
    copyFileSync(resolve('config/users.yaml'), join(dir, 'users.yaml'));
    const out = execFileSync(resolve('node_modules/.bin/tsx'), [resolve('hub/auth/set-password.ts'), 'guard', '--config', dir], { input: 'night shift passphrase 7\n', encoding: 'utf8' });
    expect(out).toMatch(/password of guard set in/);
    const users = (parse(readFileSync(join(dir, 'users.yaml'), 'utf8')) as { users: Array<{ username: string; password: string }> }).users;
    const guard = users.find((u) => u.username === 'guard')!;
    expect(await verifyPassword('night shift passphrase 7', guard.password)).toBe(true);
    expect(await usersWithDemoPasswords([{ username: 'guard', passwordHash: guard.password }])).toEqual([]);
  });
});
