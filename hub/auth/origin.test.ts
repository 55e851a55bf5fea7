import { describe, expect, it } from 'vitest';
import { csrfRefusal, handshakeRefusal, originAllowed } from './origin.js';

const HOST = '127.0.0.1:8080';
const cookie = 'wf_session=abc';

describe('originAllowed', () => {
  it.each([
    ['http://127.0.0.1:8080', HOST, [], true],
    ['https://127.0.0.1:8080', HOST, [], true], // TLS proxy in front: scheme not compared
    ['http://127.0.0.1:9999', HOST, [], false], // another port of the same host: the same-site attack
    ['http://localhost:8080', HOST, [], false],
    ['null', HOST, [], false],
    ['http://127.0.0.1:5173', HOST, ['http://127.0.0.1:5173'], true],
    ['http://127.0.0.1:5173', HOST, ['http://127.0.0.1:5174'], false],
    ['not a url', HOST, [], false],
  ])('%s for Host %s, allowed %j → %s', (origin, host, allowed, expected) => expect(originAllowed(origin, host, allowed)).toBe(expected));
});

describe('csrfRefusal', () => {
  const req = (method: string, headers: Record<string, string>) => ({ method, headers: { host: HOST, ...headers } });
  it.each([
    ['GET with a cookie from anywhere', req('GET', { cookie, origin: 'http://evil:1' }), null],
    ['text/plain form POST with the cookie', req('POST', { cookie, 'content-type': 'text/plain', 'content-length': '12', origin: 'http://127.0.0.1:9999' }), 415],
    ['form-urlencoded POST', req('POST', { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: `http://${HOST}` }), 415],
    ['body without a content type', req('POST', { cookie, 'content-length': '2', origin: `http://${HOST}` }), 415],
    ['JSON from another port with the cookie', req('POST', { cookie, 'content-type': 'application/json', origin: 'http://127.0.0.1:9999' }), 403],
    ['JSON with Origin: null (no-referrer / sandboxed page)', req('POST', { cookie, 'content-type': 'application/json', origin: 'null' }), 403],
    ['empty no-cors POST from another port', req('POST', { cookie, origin: 'http://127.0.0.1:9999' }), 403],
    ['cookie POST with neither Origin nor Referer', req('POST', { cookie, 'content-type': 'application/json' }), 403],
    ['cookie POST, same origin', req('POST', { cookie, 'content-type': 'application/json; charset=utf-8', origin: `http://${HOST}` }), null],
    ['cookie POST, Referer of the same origin', req('DELETE', { cookie, referer: `http://${HOST}/#/alarms` }), null],
    ['Bearer from anywhere (not forgeable)', req('POST', { authorization: 'Bearer t', cookie, 'content-type': 'application/json', origin: 'http://127.0.0.1:9999' }), null],
    ['Bearer still needs JSON', req('POST', { authorization: 'Bearer t', 'content-type': 'text/plain' }), 415],
    ['login from a script: no cookie, no Origin', req('POST', { 'content-type': 'application/json' }), null],
    ['login from a foreign page', req('POST', { 'content-type': 'application/json', origin: 'http://127.0.0.1:9999' }), 403],
    ['bodiless logout from the console', req('POST', { cookie, origin: `http://${HOST}` }), null],
  ])('%s', (_name, r, status) => {
    const refusal = csrfRefusal(r, [], 'wf_session');
    expect(refusal?.status ?? null).toBe(status);
    if (refusal) expect(refusal.message.length).toBeGreaterThan(20);
  });

  it('names what was wrong', () => {
    expect(csrfRefusal(req('POST', { cookie, 'content-type': 'text/plain' }), [], 'wf_session')?.message).toMatch(/Content-Type: application\/json \(got "text\/plain"\)/);
    expect(csrfRefusal(req('POST', { cookie, 'content-type': 'application/json', origin: 'http://127.0.0.1:9999' }), [], 'wf_session')?.message).toMatch(/origin http:\/\/127\.0\.0\.1:9999 refused/);
  });
});

describe('handshakeRefusal', () => {
  it.each([
    [{ host: HOST }, null],
    [{ host: HOST, origin: `http://${HOST}` }, null],
    [{ host: HOST, origin: 'http://127.0.0.1:9999' }, /refused/],
    [{ host: HOST, origin: 'null' }, /refused/],
  ])('%j', (headers, expected) => {
    const r = handshakeRefusal(headers, []);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});

describe('video WebSocket upgrade (hub/video/module.ts upgradeAuthorizer)', async () => {
  const { upgradeAuthorizer } = await import('../video/module.js');
  // A permission check that lets everyone in: only the Origin decides here.
  const allowAll = (() => async (ctx: { state: { user?: { username: string } } }, next: () => Promise<void>) => {
    ctx.state.user = { username: 'sup' };
    await next();
  }) as never;
  const upgrade = (headers: Record<string, string>) => ({ url: '/video/cam-1?token=t', headers: { host: HOST, ...headers } }) as never;

  it('refuses a foreign Origin with 403 and lets the hub\'s own page and non-browser clients in', async () => {
    const authorize = upgradeAuthorizer(allowAll, 'cameras:view', []);
    expect(await authorize(upgrade({ origin: 'http://127.0.0.1:9999' }))).toMatchObject({ ok: false, status: 403, message: expect.stringMatching(/origin http:\/\/127\.0\.0\.1:9999 refused/) });
    expect(await authorize(upgrade({ origin: `http://${HOST}` }))).toEqual({ ok: true, user: 'sup' });
    expect(await authorize(upgrade({}))).toEqual({ ok: true, user: 'sup' });
    expect(await upgradeAuthorizer(allowAll, 'cameras:view', ['http://127.0.0.1:5173'])(upgrade({ origin: 'http://127.0.0.1:5173' }))).toEqual({ ok: true, user: 'sup' });
  });
});
