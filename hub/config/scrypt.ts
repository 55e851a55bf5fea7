// Bounds on the scrypt parameters of a stored password hash. The hub verifies every login
// against the stored parameters, so users.yaml decides what one login check costs: N=2^20,
// r=64, p=16 is 8 GiB and minutes of CPU per attempt. Pure, table-tested.

/** Memory one check may take: 128·N·r bytes (the hub's default N=2^14, r=8 takes 16 MiB). */
export const MAX_SCRYPT_MEMORY_BYTES = 64 * 1024 * 1024;
/** CPU one check may take, as N·r·p (default 2^17; this allows 8× the default). */
export const MAX_SCRYPT_WORK = 2 ** 20;
/** Salt and derived key lengths (bytes) a hash may carry; the hub writes 16 and 32. */
export const MAX_SCRYPT_BYTES = 64;

const MiB = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;

/** Why a `scrypt$N$r$p$salt$hash` string is refused, or null when its cost is acceptable. */
export function scryptHashProblem(stored: string): string | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return 'must be scrypt$N$r$p$saltB64$hashB64';
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!parts.slice(1, 4).every((t) => /^\d{1,15}$/.test(t)) || ![N, r, p].every((n) => n > 0)) return 'scrypt N, r and p must be positive integers';
  if (N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 30) return `scrypt N=${parts[1]} must be a power of two`;
  const memory = 128 * N * r;
  if (memory > MAX_SCRYPT_MEMORY_BYTES) {
    return `scrypt N=${N} r=${r} needs ${MiB(memory)} per login check; at most ${MiB(MAX_SCRYPT_MEMORY_BYTES)} (re-hash with npm run hash-password)`;
  }
  if (N * r * p > MAX_SCRYPT_WORK) {
    return `scrypt N=${N} r=${r} p=${p} costs ${N * r * p} (N·r·p) per login check; at most ${MAX_SCRYPT_WORK} (re-hash with npm run hash-password)`;
  }
  const salt = Buffer.from(parts[4], 'base64').length;
  const key = Buffer.from(parts[5], 'base64').length;
  if (salt < 8 || salt > MAX_SCRYPT_BYTES) return `scrypt salt must be 8..${MAX_SCRYPT_BYTES} bytes, is ${salt}`;
  if (key < 16 || key > MAX_SCRYPT_BYTES) return `scrypt hash must be 16..${MAX_SCRYPT_BYTES} bytes, is ${key}`;
  return null;
}
