import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n.js';
import { loginErrorText } from './login.js';

describe('loginErrorText', () => {
  afterEach(() => setLocale('en'));

  it.each([
    ['en', { status: 401, code: 'invalid_credentials', message: 'wrong username or password' }, 'Wrong username or password.'],
    ['zh-CN', { status: 401, code: 'invalid_credentials', message: 'wrong username or password' }, '用户名或密码错误。'],
    ['zh-CN', { status: 429, code: 'too_many_attempts', message: 'too many failed sign-ins for this name; try again in 42 s' }, '该用户名登录失败次数过多，请 42 秒后重试。'],
    ['en', { status: 429, code: 'too_many_attempts', message: 'slow down' }, 'slow down'],
    ['zh-CN', { status: 400, code: 'bad_request', message: 'login body must be …' }, 'login body must be …'],
    ['zh-CN', { status: 0, code: 'network', message: 'POST /api/auth/login: Failed to fetch' }, '无法连接服务器（POST /api/auth/login: Failed to fetch）。'],
  ] as const)('%s %o → %s', (locale, err, want) => {
    setLocale(locale);
    expect(loginErrorText(err)).toBe(want);
  });
});
