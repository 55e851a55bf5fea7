import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../contracts/auth.js';
import { HttpError } from '../api/errors.js';
import type { LoadedConfig } from '../config/types.js';
import { captureLogger } from '../log.js';
import type { AuditEntry } from '../module.js';
import { Auth, cookieValue, tokenFromHeaders } from './auth.js';
import { hashPassword } from './password.js';

describe('tokenFromHeaders', () => {
  it.each([
    ['Bearer abc', undefined, 'abc'],
    ['bearer abc', 'wf_session=zzz', 'abc'],
    [undefined, 'a=1; wf_session=tok%2B1; b=2', 'tok+1'],
    ['Basic dXNlcg==', 'wf_session=c', 'c'],
    [undefined, 'wf_sessionx=1', undefined],
    [undefined, undefined, undefined],
  ])('%s / %s → %s', (auth, cookie, expected) => expect(tokenFromHeaders(auth, cookie)).toBe(expected));

  it('cookieValue ignores names that only share a prefix', () => {
    expect(cookieValue('xwf_session=1; wf_session=2', 'wf_session')).toBe('2');
  });
});

describe('Auth.login', async () => {
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = {
    hub: { sessionTtlHours: 1 },
    users: [
      { username: 'guard', name: { en: 'Guard', 'zh-CN': '保安' }, role: 'guard', passwordHash: hash },
      { username: 'broken', name: { en: 'B', 'zh-CN': 'B' }, role: 'viewer', passwordHash: 'not-a-hash' },
    ],
    rolePermissions: { ...DEFAULT_ROLE_PERMISSIONS, guard: ['points:read'] },
  } as unknown as LoadedConfig;
  const setup = () => {
    const audited: Array<Omit<AuditEntry, 'ts'>> = [];
    const log = captureLogger();
    return { auth: new Auth(config, { record: (e) => audited.push(e) }, log), audited, log };
  };
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: HttpError) => [e.status, e.message]);

  it('grants the role permissions from config and audits the login', async () => {
    const { auth, audited } = setup();
    const s = await auth.login('guard', 'pw');
    expect(s).toMatchObject({ username: 'guard', role: 'guard', permissions: ['points:read'] });
    expect(auth.sessionOf(`Bearer ${s.token}`, undefined)?.username).toBe('guard');
    expect(audited).toEqual([{ user: 'guard', action: 'auth.login', target: 'guard', details: { role: 'guard' } }]);
  });

  it('answers a wrong password, an unknown user and an unusable hash the same way', async () => {
    const { auth, log } = setup();
    expect(await failure(auth.login('guard', 'nope'))).toEqual([401, 'wrong username or password']);
    expect(await failure(auth.login('ghost', 'pw'))).toEqual([401, 'wrong username or password']);
    expect(await failure(auth.login('broken', 'pw'))).toEqual([401, 'wrong username or password']);
    expect(log.entries.filter((e) => e.level === 'error').map((e) => e.msg)).toEqual(['stored password hash is unusable']);
  });

  it('throttles a name per client address: 429 from the attacker\'s address, the right password still works from another', async () => {
    const { auth, audited } = setup();
    for (let i = 0; i < 4; i++) await failure(auth.login('guard', 'nope', '10.0.0.66'));
    const [status, message] = await failure(auth.login('guard', 'pw', '10.0.0.66'));
    expect(status).toBe(429);
    expect(message).toMatch(/too many failed sign-ins for this name from this address; try again in \d+ s/);
    expect((await auth.login('guard', 'pw', '10.0.0.7')).username).toBe('guard');
    // audited once per address and minute, not per refused attempt
    await failure(auth.login('guard', 'pw', '10.0.0.66'));
    expect(audited.filter((e) => e.action === 'auth.login_throttled')).toHaveLength(1);
  });
});
