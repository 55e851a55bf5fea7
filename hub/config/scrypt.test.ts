import { describe, expect, it } from 'vitest';
import { scryptHashProblem } from './scrypt.js';

const SALT = 'V/QN9vWrjJeft4EasNCccg==';
const KEY = 'pYw/s6nv6Jk3ROz5ZB8fpb4jk0DhdRuwUW4IbLWwqVI=';
const hash = (N: number | string, r: number | string, p: number | string, salt = SALT, key = KEY) => `scrypt$${N}$${r}$${p}$${salt}$${key}`;

describe('scryptHashProblem', () => {
  it.each([
    [hash(16384, 8, 1)],
    [hash(65536, 8, 1)], // 64 MiB: the most memory allowed
    [hash(16384, 8, 8)], // 8× the default work
    [hash(1024, 1, 1)],
  ])('accepts %s', (h) => expect(scryptHashProblem(h)).toBeNull());

  it.each([
    [hash(2 ** 20, 64, 16), /N=1048576 r=64 needs 8192 MiB per login check; at most 64 MiB/],
    [hash(2 ** 17, 8, 1), /needs 128 MiB/],
    [hash(16384, 8, 16), /costs 2097152 \(N·r·p\) per login check; at most 1048576/],
    [hash(1000, 8, 1), /must be a power of two/],
    [hash(2 ** 40, 1, 1), /power of two/],
    [hash('1e3', 8, 1), /positive integers/],
    [hash(16384, 0, 1), /positive integers/],
    [hash(16384, 8, 1, 'c2FsdA=='), /salt must be 8\.\.64 bytes, is 4/],
    [hash(16384, 8, 1, SALT, Buffer.alloc(100).toString('base64')), /hash must be 16\.\.64 bytes, is 100/],
    ['scrypt$16384$8$1$abc', /must be scrypt\$N\$r\$p/],
  ])('refuses %s', (h, why) => expect(scryptHashProblem(h)).toMatch(why));
});
