// Password hashes: `scrypt$N$r$p$saltB64$hashB64`, node:crypto only, constant-time compare.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scryptAsync = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

export const DEFAULT_SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export interface ParsedHash { N: number; r: number; p: number; salt: Buffer; hash: Buffer }

/** Parses a stored hash; returns a reason string when it is malformed. */
export function parsePasswordHash(stored: string): ParsedHash | string {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return 'expected scrypt$N$r$p$saltB64$hashB64';
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return 'N, r and p must be positive integers';
  if ((N & (N - 1)) !== 0 || N < 2) return 'N must be a power of two';
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  if (salt.length < 8) return 'salt is too short';
  if (hash.length < 16) return 'hash is too short';
  return { N, r, p, salt, hash };
}

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { ...params, maxmem: maxmem(params) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** False for a wrong password; throws for a malformed stored hash (a config error, not a login failure). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (typeof parsed === 'string') throw new Error(`malformed password hash: ${parsed}`);
  const key = await scryptAsync(password, parsed.salt, parsed.hash.length, {
    N: parsed.N, r: parsed.r, p: parsed.p, maxmem: maxmem(parsed),
  });
  return timingSafeEqual(key, parsed.hash);
}

function maxmem(p: { N: number; r: number }): number {
  return 128 * p.N * p.r * 2 + 1024 * 1024;
}
