import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashPassword, parsePasswordHash, verifyPassword } from './password.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse', FAST);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct hors', h)).toBe(false);
  });

  it('salts: two hashes of one password differ', async () => {
    expect(await hashPassword('x', FAST)).not.toBe(await hashPassword('x', FAST));
  });

  it.each([
    ['bcrypt$10$abc', /expected scrypt/],
    ['scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /power of two/],
    ['scrypt$1024$x$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==', /positive integers/],
    ['scrypt$1024$8$1$c2E=$aGFzaGhhc2hoYXNoaGFzaA==', /salt is too short/],
  ])('rejects malformed %s', async (stored, reason) => {
    expect(parsePasswordHash(stored)).toMatch(reason);
    await expect(verifyPassword('x', stored)).rejects.toThrow(reason);
  });

  it('hash-password script prints a verifiable hash', async () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'hub/auth/hash-password.ts', 's3cret'], { encoding: 'utf8' }).trim();
    expect(await verifyPassword('s3cret', out)).toBe(true);
  });
});
