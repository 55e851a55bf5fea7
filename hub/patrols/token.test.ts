import { describe, expect, it } from 'vitest';
import { macOf, parseToken, signToken, verifyToken } from './token.js';

const S1 = Buffer.alloc(32, 1);
const S2 = Buffer.alloc(32, 2);
const keys: Record<string, { secret: Buffer; version: number }> = { lobby: { secret: S1, version: 3 }, gate: { secret: S2, version: 1 } };
const keyOf = (id: string) => keys[id];

describe('checkpoint tokens', () => {
  const good = signToken(S1, 'lobby', 3);
  const forgedMac = `WFP1.lobby.3.${macOf(S2, 'lobby', 3)}`;
  const otherCode = signToken(S2, 'gate', 1);
  it.each([
    ['a code signed with the current secret', good, { ok: true, checkpoint: 'lobby', version: 3 }],
    ['surrounding whitespace', ` ${good}\n`, { ok: true, checkpoint: 'lobby', version: 3 }],
    ['another checkpoint\'s valid code', otherCode, { ok: true, checkpoint: 'gate', version: 1 }],
    ['a MAC made with another secret', forgedMac, { ok: false, reason: 'bad_signature', checkpoint: 'lobby' }],
    ['another checkpoint\'s MAC on this id', otherCode.replace('gate', 'lobby').replace('.1.', '.3.'), { ok: false, reason: 'bad_signature', checkpoint: 'lobby' }],
    ['an older print (rotated)', signToken(Buffer.alloc(32, 9), 'lobby', 2), { ok: false, reason: 'rotated', checkpoint: 'lobby' }],
    ['a future version', signToken(S1, 'lobby', 4), { ok: false, reason: 'bad_signature', checkpoint: 'lobby' }],
    ['a guessed id', signToken(S1, 'vault', 1), { ok: false, reason: 'unknown_checkpoint', checkpoint: 'vault' }],
    ['a URL', 'https://example.com/', { ok: false, reason: 'malformed' }],
    ['a truncated MAC', good.slice(0, -2), { ok: false, reason: 'malformed' }],
    ['an upper-case id', good.replace('lobby', 'LOBBY'), { ok: false, reason: 'malformed' }],
    ['version 0', `WFP1.lobby.0.${macOf(S1, 'lobby', 0)}`, { ok: false, reason: 'malformed' }],
    ['empty', '', { ok: false, reason: 'malformed' }],
  ])('%s', (_name, text, expected) => {
    expect(verifyToken(text, keyOf)).toEqual(expected);
  });

  it('is 128 bits of MAC in base64url and parses back', () => {
    expect(good).toMatch(/^WFP1\.lobby\.3\.[A-Za-z0-9_-]{22}$/);
    expect(parseToken(good)).toEqual({ checkpoint: 'lobby', version: 3, mac: good.split('.')[3] });
  });

  it('changes with every part it signs', () => {
    const macs = new Set([macOf(S1, 'lobby', 3), macOf(S1, 'lobby', 4), macOf(S1, 'gate', 3), macOf(S2, 'lobby', 3)]);
    expect(macs.size).toBe(4);
  });
});
