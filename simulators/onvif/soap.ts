// The few SOAP pieces the simulated camera needs: find the operation, read simple values,
// check the WS-Security UsernameToken digest, write envelopes and faults. Regex-based on
// purpose: the simulator shares no XML code with the driver it tests.
import { createHash } from 'node:crypto';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa: 'http://www.w3.org/2005/08/addressing',
  ter: 'http://www.onvif.org/ver10/error',
  tns1: 'http://www.onvif.org/ver10/topics',
};

/** Local name of the first element inside soap:Body, e.g. `GetProfiles`. */
export function operationOf(xml: string): string | undefined {
  const m = xml.match(/<(?:[\w-]+:)?Body\b[^>]*>\s*<(?:[\w-]+:)?([\w-]+)/);
  return m?.[1];
}

/** Text of the first element with this local name, or undefined. */
export function textOf(xml: string, local: string): string | undefined {
  const m = xml.match(new RegExp(`<(?:[\\w-]+:)?${local}\\b[^>]*?(?:/>|>([\\s\\S]*?)</(?:[\\w-]+:)?${local}>)`));
  if (!m) return undefined;
  return (m[1] ?? '').trim();
}

/** Attributes of the first element with this local name. */
export function attrsOf(xml: string, local: string): Record<string, string> | undefined {
  const m = xml.match(new RegExp(`<(?:[\\w-]+:)?${local}\\b([^>]*?)/?>`));
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const a of m[1].matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) out[a[1].replace(/^[\w-]+:/, '')] = a[2];
  return out;
}

export interface UsernameToken {
  username: string;
  passwordDigest: string;
  nonce: string;
  created: string;
}

export function usernameTokenOf(xml: string): UsernameToken | undefined {
  const token = textOf(xml, 'UsernameToken');
  if (token === undefined) return undefined;
  return {
    username: textOf(token, 'Username') ?? '',
    passwordDigest: textOf(token, 'Password') ?? '',
    nonce: textOf(token, 'Nonce') ?? '',
    created: textOf(token, 'Created') ?? '',
  };
}

/** WS-Security PasswordDigest = Base64(SHA-1(nonce bytes + created + password)). */
export function passwordDigest(nonceB64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

export type AuthVerdict = 'ok' | 'missing' | 'bad_user' | 'bad_digest' | 'expired';

/** Checks a UsernameToken; `Created` may differ from the camera clock by `skewMs` either way. */
export function checkUsernameToken(token: UsernameToken | undefined, user: { username: string; password: string }, nowMs: number, skewMs = 300_000): AuthVerdict {
  if (!token) return 'missing';
  if (token.username !== user.username) return 'bad_user';
  if (passwordDigest(token.nonce, token.created, user.password) !== token.passwordDigest) return 'bad_digest';
  const created = Date.parse(token.created);
  if (!Number.isFinite(created) || Math.abs(created - nowMs) > skewMs) return 'expired';
  return 'ok';
}

export function envelope(body: string, header = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" xmlns:tptz="${NS.tptz}" xmlns:tev="${NS.tev}" ` +
    `xmlns:tt="${NS.tt}" xmlns:wsnt="${NS.wsnt}" xmlns:wsa="${NS.wsa}" xmlns:ter="${NS.ter}" xmlns:tns1="${NS.tns1}">` +
    `<s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** A SOAP 1.2 fault, e.g. fault('Sender', 'ter:NotAuthorized', 'Sender not authorized'). */
export function fault(code: 'Sender' | 'Receiver', subcode: string, reason: string): string {
  return envelope(
    `<s:Fault><s:Code><s:Value>s:${code}</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en">${escapeXml(reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** xs:duration like PT1M, PT60S, PT0.5S → ms (undefined when unparseable). */
export function durationMs(d: string | undefined): number | undefined {
  if (!d) return undefined;
  const m = d.match(/^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/);
  if (!m) return undefined;
  return ((+(m[1] ?? 0) * 24 + +(m[2] ?? 0)) * 60 + +(m[3] ?? 0)) * 60_000 + +(m[4] ?? 0) * 1000;
}
