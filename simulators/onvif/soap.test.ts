import { describe, expect, it } from 'vitest';
import { attrsOf, checkUsernameToken, durationMs, operationOf, passwordDigest, textOf, usernameTokenOf } from './soap.js';

const created = '2026-01-01T00:00:00.000Z';
const nonce = Buffer.from('0123456789abcdef').toString('base64');
const request = (digest: string, user = 'admin') =>
  `<s:Envelope xmlns:s="x"><s:Header><Security><UsernameToken><Username>${user}</Username>` +
  `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
  `<Nonce EncodingType="x">${nonce}</Nonce><Created xmlns="y">${created}</Created></UsernameToken></Security></s:Header>` +
  `<s:Body><tptz:ContinuousMove xmlns:tptz="z"><ProfileToken>p1</ProfileToken><Velocity><PanTilt x="0.5" y="-1" xmlns="t"/></Velocity></tptz:ContinuousMove></s:Body></s:Envelope>`;

describe('simulator SOAP helpers', () => {
  it('finds the operation, texts and attributes', () => {
    const xml = request('d');
    expect(operationOf(xml)).toBe('ContinuousMove');
    expect(textOf(xml, 'ProfileToken')).toBe('p1');
    expect(attrsOf(textOf(xml, 'Velocity')!, 'PanTilt')).toEqual({ x: '0.5', y: '-1', xmlns: 't' });
    expect(textOf(xml, 'Missing')).toBeUndefined();
  });

  it.each([
    ['right password', 'secret', 'admin', Date.parse(created), 'ok'],
    ['wrong password', 'nope', 'admin', Date.parse(created), 'bad_digest'],
    ['wrong user', 'secret', 'root', Date.parse(created), 'bad_user'],
    ['stale Created', 'secret', 'admin', Date.parse(created) + 3_600_000, 'expired'],
  ] as const)('UsernameToken digest: %s', (_n, password, user, now, verdict) => {
    const token = usernameTokenOf(request(passwordDigest(nonce, created, password), user));
    expect(checkUsernameToken(token, { username: 'admin', password: 'secret' }, now)).toBe(verdict);
  });

  it('no token is "missing"', () => {
    expect(checkUsernameToken(usernameTokenOf('<s:Body><GetProfiles/></s:Body>'), { username: 'a', password: 'b' }, 0)).toBe('missing');
  });

  it.each([['PT1M', 60_000], ['PT60S', 60_000], ['PT0.5S', 500], ['PT2H', 7_200_000], ['P1D', 86_400_000], ['bogus', undefined], [undefined, undefined]])('duration %s', (d, ms) => {
    expect(durationMs(d)).toBe(ms);
  });
});
