// Real peers on loopback for the notification channels, shared by tests and `npm run bench -- dispatch`:
// an SMTP server (smtp-server) keeping each raw mail, a robot webhook receiver that checks the DingTalk
// signature and records the JSON, and a push service that verifies the VAPID JWT and decrypts the
// aes128gcm payload (RFC 8291) with the subscription's private key — written here independently of
// web-push, so the test proves the encryption end to end.
import { createECDH, createHmac, createPublicKey, createDecipheriv, hkdfSync, randomBytes, verify as verifySig } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  at: number;
}

export async function startSmtpPeer(): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void>; waitFor(n: number, ms?: number): Promise<ReceivedMail[]> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true, hideSTARTTLS: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        cb();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port, mails,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
    waitFor: (n, ms = 10_000) => waitUntil(() => (mails.length >= n ? mails : undefined), ms, `${n} mails`),
  };
}

export async function waitUntil<T>(f: () => T | undefined, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface RobotHit {
  path: string;
  query: URLSearchParams;
  body: any;
  /** DingTalk only: the signature checked as DingTalk's server does. */
  signatureOk?: boolean;
  at: number;
}

/** `/wecom/<key>` and `/dingtalk/<key>` (with `secret` for DingTalk signing). `fail` paths answer errcode 310000. */
export async function startRobotPeer(secret: string): Promise<{ url: string; hits: RobotHit[]; failNext: { count: number }; close(): Promise<void> }> {
  const hits: RobotHit[] = [];
  const failNext = { count: 0 };
  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const raw = await body(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      parsed = null;
    }
    const hit: RobotHit = { path: u.pathname, query: u.searchParams, body: parsed, at: Date.now() };
    let errcode = 0;
    let errmsg = 'ok';
    if (u.pathname.startsWith('/dingtalk')) {
      const ts = Number(u.searchParams.get('timestamp'));
      // URLSearchParams already decoded the urlencoded base64 once.
      const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
      hit.signatureOk = u.searchParams.get('sign') === expected && Math.abs(Date.now() - ts) < 3600_000;
      if (!hit.signatureOk) [errcode, errmsg] = [310000, 'sign not match'];
    }
    if (req.headers['content-type']?.startsWith('application/json') !== true) [errcode, errmsg] = [40008, 'invalid message type'];
    if (failNext.count > 0) {
      failNext.count--;
      [errcode, errmsg] = [45009, 'api freq out of limit'];
    }
    hits.push(hit);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode, errmsg }));
  });
  const url = await listen(server);
  return { url, hits, failNext, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

const b64u = (b: Buffer) => b.toString('base64url');

export interface PushClient {
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
}

export interface PushHit {
  payload: any;
  headers: IncomingMessage['headers'];
  vapidOk: boolean;
  at: number;
}

/** RFC 8291 decryption of one aes128gcm message (single record). */
export function decryptAes128gcm(body: Buffer, ecdh: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (ciphertext.length > rs) throw new Error('more than one record');
  const uaPublic = ecdh.getPublicKey();
  const ecdhSecret = ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('bad padding delimiter (not the last record)');
  return padded.subarray(0, end);
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>` (RFC 8292): ES256 signature, audience, expiry. */
export function vapidValid(header: string | undefined, endpointOrigin: string): boolean {
  const m = /^vapid t=([^,]+),\s*k=(.+)$/.exec(header ?? '');
  if (!m) return false;
  const [h, p, s] = m[1].split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { aud: string; exp: number; sub: string };
  const pub = Buffer.from(m[2], 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33, 65)) }, format: 'jwk' });
  const ok = verifySig('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  return ok && claims.aud === endpointOrigin && claims.exp * 1000 > Date.now() && /^(mailto:|https:)/.test(claims.sub);
}

export async function startPushPeer(): Promise<{ url: string; hits: PushHit[]; client(name: string): PushClient; close(): Promise<void> }> {
  const hits: PushHit[] = [];
  const clients = new Map<string, PushClient>();
  let origin = '';
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    const name = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    const c = clients.get(name);
    if (!c) {
      res.writeHead(410).end();
      return;
    }
    try {
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
      const payload = JSON.parse(decryptAes128gcm(raw, c.ecdh, c.auth).toString('utf8'));
      hits.push({ payload, headers: req.headers, vapidOk: vapidValid(req.headers.authorization, origin), at: Date.now() });
      res.writeHead(201).end();
    } catch (err) {
      res.writeHead(400).end(String(err));
    }
  });
  const url = await listen(server);
  origin = url;
  return {
    url, hits,
    client(name) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const c: PushClient = { ecdh, auth, subscription: { endpoint: `${url}/push/${encodeURIComponent(name)}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } } };
      clients.set(name, c);
      return c;
    },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** Minimal RFC 5322/2047 reading for tests: header values (encoded words decoded) and the text/plain part. */
export function parseMail(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const [head] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  const part = (type: string) => {
    const re = new RegExp(`Content-Type: ${type}[^]*?\\r?\\n\\r?\\n([^]*?)(\\r?\\n--|$)`, 'i');
    const block = new RegExp(`Content-Type: ${type}[^]*?\\r?\\n\\r?\\n`, 'i').exec(raw);
    const m = re.exec(raw);
    if (!m || !block) return '';
    const enc = /Content-Transfer-Encoding: (\S+)/i.exec(block[0])?.[1].toLowerCase();
    return enc === 'base64' ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8') : enc === 'quoted-printable' ? decodeQp(m[1]) : m[1];
  };
  return { headers, text: part('text/plain'), html: part('text/html') };
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const t = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '=' && /^[0-9A-F]{2}$/i.test(t.slice(i + 1, i + 3))) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(t[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
  );
}
