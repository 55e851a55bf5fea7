// The text of a printed checkpoint code: `WFP1.<checkpoint>.<version>.<mac>`, where mac is
// HMAC-SHA256(secret of that checkpoint and version, "WFP1.<checkpoint>.<version>") cut to 128 bits,
// base64url. A guessed id or a photo of another checkpoint's code fails the MAC; rotating a
// checkpoint makes a new secret and version, so every older print fails too. Pure.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TOKEN_PREFIX } from '../../contracts/patrols.js';

export const CHECKPOINT_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAC_BYTES = 16;

export interface ParsedToken { checkpoint: string; version: number; mac: string }

export function macOf(secret: Buffer, checkpoint: string, version: number): string {
  return createHmac('sha256', secret).update(`${TOKEN_PREFIX}.${checkpoint}.${version}`).digest().subarray(0, MAC_BYTES).toString('base64url');
}

export function signToken(secret: Buffer, checkpoint: string, version: number): string {
  return `${TOKEN_PREFIX}.${checkpoint}.${version}.${macOf(secret, checkpoint, version)}`;
}

/** Syntax only (no secret): null when it is not a checkpoint code at all. */
export function parseToken(text: string): ParsedToken | null {
  if (typeof text !== 'string' || text.length > 200) return null;
  const parts = text.trim().split('.');
  if (parts.length !== 4 || parts[0] !== TOKEN_PREFIX) return null;
  const [, checkpoint, v, mac] = parts;
  if (!CHECKPOINT_ID_RE.test(checkpoint) || !/^[1-9]\d{0,5}$/.test(v) || !/^[A-Za-z0-9_-]{22}$/.test(mac)) return null;
  return { checkpoint, version: Number(v), mac };
}

export type TokenVerdict =
  | { ok: true; checkpoint: string; version: number }
  | { ok: false; reason: 'malformed' | 'unknown_checkpoint' | 'rotated' | 'bad_signature'; checkpoint?: string };

/** `keyOf(checkpoint)` gives the current secret and version, or undefined for an unknown checkpoint. */
export function verifyToken(text: string, keyOf: (checkpoint: string) => { secret: Buffer; version: number } | undefined): TokenVerdict {
  const t = parseToken(text);
  if (!t) return { ok: false, reason: 'malformed' };
  const key = keyOf(t.checkpoint);
  if (!key) return { ok: false, reason: 'unknown_checkpoint', checkpoint: t.checkpoint };
  const expected = Buffer.from(macOf(key.secret, t.checkpoint, t.version));
  const given = Buffer.from(t.mac);
  const macOk = expected.length === given.length && timingSafeEqual(expected, given);
  // A correct MAC under the current secret but an old version number cannot happen (the secret
  // changes with the version); an older version is reported as rotated so the guard is told why.
  if (t.version !== key.version) return { ok: false, reason: t.version < key.version ? 'rotated' : 'bad_signature', checkpoint: t.checkpoint };
  if (!macOk) return { ok: false, reason: 'bad_signature', checkpoint: t.checkpoint };
  return { ok: true, checkpoint: t.checkpoint, version: t.version };
}
