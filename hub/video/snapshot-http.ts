// A camera's HTTP snapshot URL (RTSP-only cameras' `snapshotUrl`, ONVIF GetSnapshotUri): one JPEG,
// with HTTP Basic or Digest (RFC 7617 / 7616, MD5, qop=auth) when the camera asks for it.
import { createHash, randomBytes } from 'node:crypto';
import { redact, type RtspCredentials } from './ffmpeg.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parameters of a `Digest …` challenge (pure). */
export function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^\s*Digest\s+/i, '').matchAll(/([a-z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^,\s]+))/gi)) out[m[1].toLowerCase()] = m[2] ?? m[3];
  return out;
}

/** The Authorization header answering a Digest challenge (pure but for the client nonce). */
export function digestAuthorization(c: RtspCredentials, method: string, uri: string, ch: Record<string, string>, cnonce = randomBytes(8).toString('hex'), nc = '00000001'): string {
  const ha1 = md5(`${c.username}:${ch.realm ?? ''}:${c.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = ch.qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const response = qop ? md5(`${ha1}:${ch.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${ch.nonce}:${ha2}`);
  const parts = [`username="${c.username}"`, `realm="${ch.realm ?? ''}"`, `nonce="${ch.nonce ?? ''}"`, `uri="${uri}"`, `response="${response}"`];
  if (ch.opaque) parts.push(`opaque="${ch.opaque}"`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}

export async function fetchSnapshot(url: string, c?: RtspCredentials, timeoutMs = 5000): Promise<Buffer> {
  const get = (authorization?: string) => fetch(url, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  try {
    // Credentials only when challenged: never volunteered to a URL that does not ask.
    let res = await get();
    const challenge = res.headers.get('www-authenticate') ?? '';
    if (res.status === 401 && c) {
      const u = new URL(url);
      res = await get(/^\s*Digest/i.test(challenge) ? digestAuthorization(c, 'GET', u.pathname + u.search, parseChallenge(challenge)) : `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`);
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const jpeg = Buffer.from(await res.arrayBuffer());
    if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('the answer is not a JPEG');
    return jpeg;
  } catch (err) {
    throw new Error(redact(`snapshot from ${url} failed: ${(err as Error).message}`, c));
  }
}
